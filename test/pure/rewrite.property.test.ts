/**
 * Rewrites change only their own bytes, over generated configs (key case, duplicates, anchors,
 * merge keys, flow style, comments, CRLF): where only a value changes, the input and the output
 * differ in that value's bytes alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBootstrapError } from '../../src/errors.js';
import { rewriteDatastore, validateControlPlane } from '../../src/render/control-plane.js';
import { usePipedKeyFile, validatePiped } from '../../src/render/piped.js';
import { parseYaml, type YamlSource } from '../../src/render/yaml-document.js';
import { controlPlaneConfig, pipedConfig } from '../helpers/config-gen.js';
import { sampleSize } from '../helpers/sample-size.js';

/** The part of `before` and of `after` between their common prefix and common suffix. */
function changed(before: string, after: string): [string, string] {
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  return [before.slice(p, before.length - s), after.slice(p, after.length - s)];
}

/** Runs a rewrite on each generated config that validates; refusals (with a message) are counted, not failed. */
function rewriteAll(configs: string[], validate: (s: YamlSource) => void, rewrite: (s: YamlSource) => YamlSource | undefined) {
  const out: { input: string; output: string }[] = [];
  for (const input of configs) {
    try {
      const source = parseYaml(input, 'CONFIG');
      validate(source);
      const rewritten = rewrite(source);
      if (rewritten) out.push({ input, output: rewritten.text });
    } catch (e) {
      if (!isBootstrapError(e)) throw e;
    }
  }
  return out;
}

describe('rewrites of generated configs change only their own bytes', () => {
  it('DATASTORE_HOST alone: only the bytes of the host change', () => {
    const configs = fc.sample(controlPlaneConfig, { numRuns: sampleSize(3000), seed: 7 });
    const done = rewriteAll(configs, validateControlPlane, (s) =>
      rewriteDatastore(s, { datastoreHost: 'db.internal', cacheAddress: undefined }, undefined),
    );
    expect(done.length).toBeGreaterThanOrEqual(sampleSize(20));
    for (const { input, output } of done) {
      // The one changed region lies inside the host of the url that wins (an explicit key, or one a
      // merge key brings in): host characters before, a part of the new host after.
      const [before, after] = changed(input, output);
      expect(before, input).toMatch(/^[A-Za-z0-9.-]*$/);
      expect('db.internal', input).toContain(after);
    }
  });

  it('PIPED_KEY with pipedKeyFile already set (and no pipedKeyData): only the bytes of its value change', () => {
    const configs = fc.sample(pipedConfig, { numRuns: sampleSize(2000), seed: 8 }).filter((c) => !/pipedkeydata/i.test(c));
    const done = rewriteAll(configs, validatePiped, (s) => usePipedKeyFile(s, '/tmp/pipecd-bootstrap/piped-key'));
    expect(done.length).toBeGreaterThanOrEqual(sampleSize(20));
    for (const { input, output } of done) {
      const [before, after] = changed(input, output);
      expect(before).not.toContain('\n');
      expect('/tmp/pipecd-bootstrap/piped-key').toContain(after.replace(/^["']|["']$/g, ''));
    }
  });
});
