import { describe, expect, it } from 'vitest';
import { foldName, keysForField, winningKey } from '../../src/render/go-json.js';

/**
 * Which key of a config sets a PipeCD field decides what the rewrite edits and what validation
 * reads, so it must be the key Go's encoding/json picks: keys in the byte order YAMLToJSON writes
 * them, every case-insensitive match assigning in turn so the last wins, a null assigning nothing,
 * and case folded only for ASCII letters plus the Kelvin sign and the long s (Go's equalFoldRight
 * for an ASCII field name), never for other non-ASCII letters.
 */

describe('foldName', () => {
  it.each([
    ['pipedKeyFile', 'pipedkeyfile'],
    ['APIADDRESS', 'apiaddress'],
    ['\u212aind', 'kind'],
    ['\u017fpec', 'spec'],
    ['\u00c9TAT', '\u00c9tat'],
    ['\u0130D', '\u0130d'],
    ['', ''],
  ])('%j folds to %j', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });
});

describe('keysForField and winningKey', () => {
  it('lists every matching key in Go byte order, whatever order the object holds them in', () => {
    const obj = { name: 1, other: 2, Name: 3, NAME: 4, '\u00c9name': 5 };
    expect(keysForField(obj, 'name')).toEqual(['NAME', 'Name', 'name']);
    expect(winningKey(obj, 'name')).toBe('name');
  });

  it('the last key in byte order wins, not the last one written', () => {
    expect(winningKey({ name: 'b', Name: 'a' }, 'name')).toBe('name');
    expect(winningKey({ Name: 'a', NAME: 'b' }, 'name')).toBe('Name');
  });

  it('a null assigns nothing, so the key before it wins, or none', () => {
    expect(winningKey({ NAME: 'x', name: null }, 'name')).toBe('NAME');
    expect(winningKey({ name: null }, 'name')).toBeUndefined();
    expect(keysForField({ NAME: 'x', name: null }, 'name')).toEqual(['NAME', 'name']);
  });
});
