import * as z from 'zod/mini';
import { list, mapping, requiredString, validateWith } from './schema-kit.js';
import { problemAt, toPlain, type YamlPath, type YamlSource } from './yaml-document.js';

export const envoySchema = mapping({
  static_resources: mapping({
    listeners: list(mapping({})).check(z.minLength(1, 'needs at least one listener')),
    clusters: list(mapping({ name: requiredString() })).check(z.minLength(1, 'needs at least one cluster')),
  }),
});

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every cluster a route sends traffic to, with its YAML path, found under each route_config. */
export function routeClusters(listeners: unknown): { name: unknown; path: YamlPath }[] {
  const found: { name: unknown; path: YamlPath }[] = [];
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
  walk(listeners, ['static_resources', 'listeners']);
  return found;
}

export function validateEnvoy(source: YamlSource): void {
  const plain = toPlain(source);
  validateWith(envoySchema, source, plain);
  const resources = (plain as { static_resources: { listeners: unknown; clusters: { name: string }[] } }).static_resources;
  const defined = new Set(resources.clusters.map((c) => c.name));
  for (const route of routeClusters(resources.listeners)) {
    if (typeof route.name !== 'string' || !defined.has(route.name)) {
      throw problemAt(source, route.path, `names a cluster that static_resources.clusters does not define`);
    }
  }
}
