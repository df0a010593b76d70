import * as z from 'zod/mini';
import { isJsonObject as isObject } from './go-json.js';
import { list, requiredString, validateWith } from './schema-kit.js';
import { problemAt, type YamlPath, type YamlSource } from './yaml-document.js';

/**
 * What envoy refuses of a bootstrap that can be told from the file alone. Everything else (an
 * admin-only bootstrap, dynamic_resources with ADS or file-based LDS/CDS) loads.
 */
export const envoySchema = z.looseObject(
  {
    static_resources: z.optional(
      z.looseObject({
        listeners: list(z.looseObject({})),
        clusters: list(z.looseObject({ name: requiredString() })),
      }),
    ),
  },
  { error: 'must be a mapping' },
);

type RouteCluster = { name: unknown; path: YamlPath };

/** Clusters named by the routes of one route table, with their YAML paths. */
function routeClusters(table: unknown, at: YamlPath): RouteCluster[] {
  const found: RouteCluster[] = [];
  const walk = (value: unknown, path: YamlPath): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, [...path, i]));
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'route' && isObject(child)) {
        if ('cluster' in child) found.push({ name: child.cluster, path: [...path, key, 'cluster'] });
        const weighted = isObject(child.weighted_clusters) ? child.weighted_clusters.clusters : undefined;
        if (Array.isArray(weighted)) {
          weighted.forEach((w, i) =>
            found.push({ name: isObject(w) ? w.name : undefined, path: [...path, key, 'weighted_clusters', 'clusters', i, 'name'] }),
          );
        }
      }
      walk(child, [...path, key]);
    }
  };
  walk(table, at);
  return found;
}

/** Inline route tables (`route_config`) of the static listeners whose clusters envoy validates. */
function validatedRouteTables(listeners: unknown): { table: unknown; path: YamlPath }[] {
  const tables: { table: unknown; path: YamlPath }[] = [];
  const walk = (value: unknown, path: YamlPath): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, [...path, i]));
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'route_config' && isObject(child)) {
        // RouteConfiguration.validate_clusters (a BoolValue): true by default for an inline table.
        const v = child.validate_clusters;
        if (!(v === false || (isObject(v) && v.value === false))) tables.push({ table: child, path: [...path, key] });
        continue;
      }
      walk(child, [...path, key]);
    }
  };
  walk(listeners, ['static_resources', 'listeners']);
  return tables;
}

/**
 * Envoy refuses a route to a cluster it does not know when the route table is inline and
 * validate_clusters is not false. With CDS the clusters are not all in the file, so no route is
 * checked then.
 */
export function validateEnvoy(source: YamlSource): void {
  const plain = source.plain;
  validateWith(envoySchema, source, plain);
  const bootstrap = plain as { static_resources?: { listeners?: unknown; clusters?: { name: string }[] }; dynamic_resources?: unknown };
  const dynamic = bootstrap.dynamic_resources;
  if (isObject(dynamic) && (dynamic.cds_config != null || dynamic.cds_resources_locator != null)) return;
  const defined = new Set((bootstrap.static_resources?.clusters ?? []).map((c) => c.name));
  for (const { table, path } of validatedRouteTables(bootstrap.static_resources?.listeners)) {
    for (const route of routeClusters(table, path)) {
      if (typeof route.name !== 'string' || !defined.has(route.name)) {
        throw problemAt(source, route.path, 'names a cluster that static_resources.clusters does not define');
      }
    }
  }
}
