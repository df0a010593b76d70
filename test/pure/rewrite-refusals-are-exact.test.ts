/**
 * A rewrite either writes exactly the intended edit or refuses with a message that names the
 * input, the YAML path and the reason. The anchor message (with its hint) must be given when, and
 * only when, an edited value or mapping is reached through an alias, an anchor or a merge key;
 * any other failed read-back gets the plain refusal. Removing a field that a merge key brings in is
 * refused whatever the key's case and wherever it sits in a merge list, and a merge key that brings
 * in other fields only does not stop the removal.
 */
import { describe, expect, it } from 'vitest';
import { Rewrite } from '../../src/render/rewrite.js';
import { parseYaml } from '../../src/render/yaml-document.js';
import { failureOf } from '../helpers/failure.js';

const LABEL = 'PIPED_CONFIG (env PIPED_CONFIG)';
const WHY = 'PIPED_KEY is set';
const rewriteOf = (text: string) => new Rewrite(parseYaml(text, LABEL), WHY);

const PLAIN_REFUSAL = {
  exitCode: 65,
  message: `${LABEL}: the rewritten config does not read back the same; refusing to write it`,
  hint: undefined,
};
const ANCHOR_REFUSAL = {
  exitCode: 65,
  message: `${LABEL}: a value to rewrite (${WHY}) is shared through a YAML anchor with other places in the config; rewriting it would change them too`,
  hint: 'write the value in place instead of through an anchor and alias',
};
const mergeRefusal = (line: number, column: number) => ({
  exitCode: 65,
  message: `${LABEL}: spec (line ${line}, column ${column}): has a YAML merge key that brings in pipedKeyData, which cannot be removed when ${WHY}; write the mapping without it`,
  hint: undefined,
});

describe('set() finds the mapping or the value to edit, or says why it cannot', () => {
  it('adds a key to the document itself when the path is empty', () => {
    const r = rewriteOf('kind: Piped\nspec:\n  projectID: p\n');
    r.set([], 'apiVersion', 'pipecd.dev/v1beta1');
    expect(r.apply().text).toBe('kind: Piped\nspec:\n  projectID: p\napiVersion: pipecd.dev/v1beta1\n');
  });

  it('refuses to add a key under a value that is not a mapping', () => {
    const r = rewriteOf('kind: Piped\nspec: 3\n');
    expect(failureOf(() => r.set(['spec'], 'pipedKeyFile', '/k'))).toEqual({
      exitCode: 65,
      message: `${LABEL}: spec (line 2, column 7): must be a mapping`,
      hint: undefined,
    });
  });

  it('refuses to set a field whose value is a mapping, naming the field', () => {
    const r = rewriteOf('kind: Piped\nspec:\n  pipedKeyFile: {path: /k}\n');
    expect(failureOf(() => r.set(['spec'], 'pipedKeyFile', '/new'))).toEqual({
      exitCode: 65,
      message: `${LABEL}: spec.pipedKeyFile (line 3, column 17): must be a string when ${WHY}`,
      hint: undefined,
    });
  });

  // An empty tagged string has no bytes of its own to replace, so it cannot be edited in place.
  it('refuses to set a field whose value is an empty `!!str` node', () => {
    const r = rewriteOf('kind: Piped\nspec:\n  pipedKeyFile: !!str\n  projectID: p\n');
    expect(failureOf(() => r.set(['spec'], 'pipedKeyFile', '/new'))).toEqual({
      exitCode: 65,
      message: `${LABEL}: spec.pipedKeyFile (line 3, column 22): must be a string when ${WHY}`,
      hint: undefined,
    });
  });
});

describe('apply() blames an anchor only when an edit went through one', () => {
  // A key written as an alias (`*k : v`) is not one remove() takes out, so the field stays and the
  // read-back check is what stops the result; no anchor of a value is involved.
  it('gives the plain refusal, without a hint, when nothing edited is shared', () => {
    const r = rewriteOf('k: &k pipedKeyData\nspec:\n  *k : inline\n  database: q\n');
    r.set(['spec'], 'usernameFile', '/u');
    r.remove(['spec'], 'pipedKeyData');
    expect(failureOf(() => r.apply())).toEqual(PLAIN_REFUSAL);
  });

  it('gives the plain refusal when a value set in place is not shared either', () => {
    const r = rewriteOf('k: &k pipedKeyData\nspec:\n  *k : inline\n  database: q\n');
    r.set(['spec'], 'database', 'x');
    r.remove(['spec'], 'pipedKeyData');
    expect(failureOf(() => r.apply())).toEqual(PLAIN_REFUSAL);
  });

  it('gives the anchor refusal for a value set in place inside a mapping that an alias repeats', () => {
    const r = rewriteOf('x-base: &b {pipedKeyFile: old, projectID: p}\nspec: *b\n');
    r.set(['spec'], 'pipedKeyFile', '/k');
    expect(failureOf(() => r.apply())).toEqual(ANCHOR_REFUSAL);
  });

  it('gives the plain refusal when a field to remove is absent, even from an anchored mapping', () => {
    const r = rewriteOf('base: &b\n  projectID: p\nk: &k pipedKeyData\nspec:\n  *k : inline\n');
    r.remove(['base'], 'pipedKeyData');
    r.remove(['spec'], 'pipedKeyData');
    expect(failureOf(() => r.apply())).toEqual(PLAIN_REFUSAL);
  });

  it('gives the anchor refusal, with its hint, for a key added to an anchored mapping that an alias repeats', () => {
    const r = rewriteOf('x-base: &b {projectID: p}\nspec: *b\n');
    r.set(['x-base'], 'pipedKeyFile', '/k');
    expect(failureOf(() => r.apply())).toEqual(ANCHOR_REFUSAL);
  });

  it('gives the anchor refusal for a key added to a mapping that a merge key brings in', () => {
    const r = rewriteOf('x-base: &b\n  git: {username: u}\nspec:\n  <<: *b\n');
    r.set(['spec', 'git'], 'sshKeyFile', '/k');
    expect(failureOf(() => r.apply())).toEqual(ANCHOR_REFUSAL);
  });

  it('gives the anchor refusal for a value set in place that a merge key brings in', () => {
    const r = rewriteOf('x-common: &c {pipedKeyFile: old}\nspec:\n  <<: *c\n');
    r.set(['spec'], 'pipedKeyFile', '/k');
    expect(failureOf(() => r.apply())).toEqual(ANCHOR_REFUSAL);
  });
});

describe('remove() refuses a field that a merge key brings in, and only then', () => {
  it('removes the key when the merge key brings in other fields only', () => {
    const input = 'x-c: &c {apiAddress: a, projectID: p}\nspec:\n  <<: *c\n  pipedKeyData: abc\n  pipedID: i\n';
    const r = rewriteOf(input);
    r.remove(['spec'], 'pipedKeyData');
    expect(r.apply().text).toBe('x-c: &c {apiAddress: a, projectID: p}\nspec:\n  <<: *c\n  pipedID: i\n');
  });

  it('refuses when the second mapping of a merge list brings the field in among others', () => {
    const r = rewriteOf('x-a: &a {projectID: p}\nx-b: &b {apiAddress: a, pipedKeyData: abc}\nspec:\n  <<: [*a, *b]\n  pipedID: i\n');
    expect(failureOf(() => r.remove(['spec'], 'pipedKeyData'))).toEqual(mergeRefusal(4, 3));
  });

  it('refuses when the merged key spells the field in another case', () => {
    const r = rewriteOf('x-c: &c {pipedkeydata: abc}\nspec:\n  pipedID: i\n  <<: *c\n');
    expect(failureOf(() => r.remove(['spec'], 'pipedKeyData'))).toEqual(mergeRefusal(4, 3));
  });
});
