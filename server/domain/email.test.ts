import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email.ts';

describe('normalizeEmail', () => {
  it('trims and lower-cases, keeping dots and plus tags, which name different mailboxes', () => {
    expect(normalizeEmail(' Ana@Example.COM ')).toBe('ana@example.com');
    expect(normalizeEmail('\tana.b+shop@example.com\n')).toBe('ana.b+shop@example.com');
    expect(normalizeEmail('anab@example.com')).not.toBe(normalizeEmail('ana.b@example.com'));
  });

  it('makes addresses that differ only in case and surrounding space equal, and is stable', () => {
    fc.assert(fc.property(fc.emailAddress(), fc.constantFrom('', ' ', '  \t'), (email, pad) => {
      const normal = normalizeEmail(email);
      expect(normalizeEmail(`${pad}${email.toUpperCase()}${pad}`)).toBe(normal);
      expect(normalizeEmail(normal)).toBe(normal);
    }));
  });
});
