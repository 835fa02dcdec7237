import { describe, expect, it } from 'vitest';
import { newId, newShareCode, SHARE_CODE_LENGTH } from './ids.ts';

describe('identifiers', () => {
  it('prefixes IDs with their type and 16 random hex characters', () => {
    for (const prefix of ['prt', 'key', 'pub', 'rfr', 'ref'] as const) expect(newId(prefix)).toMatch(new RegExp(`^${prefix}_[0-9a-f]{16}$`));
    expect(new Set(Array.from({ length: 1000 }, () => newId('ref'))).size).toBe(1000);
  });

  it('makes 8-character share codes of lower-case letters and digits without look-alikes', () => {
    expect(SHARE_CODE_LENGTH).toBe(8);
    const codes = Array.from({ length: 2000 }, newShareCode);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z0-9]{8}$/);
      expect(code).not.toMatch(/[01ilo]/);
    }
    expect(new Set(codes).size).toBe(codes.length);
    // Every character of the alphabet turns up: the codes use all of it.
    expect(new Set(codes.join('')).size).toBe(31);
  });
});
