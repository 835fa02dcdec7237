import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiKeyMatches, hashApiKey, isWellFormedApiKey, issueApiKey, lookupOf, maskApiKeys } from './api-key.ts';

describe('API keys', () => {
  it('issues oft_ plus 32 hex characters, with a lookup prefix and a SHA-256 hash, never the same twice', () => {
    const keys = Array.from({ length: 50 }, issueApiKey);
    for (const { apiKey, lookup, hash } of keys) {
      expect(apiKey).toMatch(/^oft_[0-9a-f]{32}$/);
      expect(isWellFormedApiKey(apiKey)).toBe(true);
      expect(lookup).toBe(apiKey.slice(0, 12));
      expect(lookupOf(apiKey)).toBe(lookup);
      expect(hash).toBe(createHash('sha256').update(apiKey).digest('hex'));
      expect(hash).not.toContain(apiKey.slice(4));
    }
    expect(new Set(keys.map((k) => k.apiKey)).size).toBe(50);
  });

  it('matches a key only against its own hash', () => {
    const a = issueApiKey();
    const b = issueApiKey();
    expect(apiKeyMatches(a.apiKey, a.hash)).toBe(true);
    expect(apiKeyMatches(a.apiKey, b.hash)).toBe(false);
    expect(apiKeyMatches(`${a.apiKey} `, a.hash)).toBe(false);
    expect(apiKeyMatches(a.apiKey, 'abcd')).toBe(false);
    expect(apiKeyMatches(a.apiKey, '')).toBe(false);
    fc.assert(fc.property(fc.string(), (other) => other === a.apiKey || !apiKeyMatches(other, a.hash)));
  });

  it('tells well-formed keys from anything else', () => {
    expect(isWellFormedApiKey(`oft_${'a'.repeat(32)}`)).toBe(true);
    for (const bad of ['', 'oft_', `oft_${'a'.repeat(31)}`, `oft_${'a'.repeat(33)}`, `OFT_${'a'.repeat(32)}`, `oft_${'A'.repeat(32)}`, `oft_${'g'.repeat(32)}`, ` oft_${'a'.repeat(32)}`, `sk_${'a'.repeat(32)}`]) {
      expect(isWellFormedApiKey(bad), bad).toBe(false);
    }
  });

  it('masks every key in a text and leaves the rest as it was', () => {
    const { apiKey } = issueApiKey();
    expect(maskApiKeys(`/x?key=${apiKey}&b=${apiKey.toUpperCase()}`)).toBe('/x?key=oft_[redacted]&b=oft_[redacted]');
    expect(hashApiKey(apiKey)).toHaveLength(64);
    fc.assert(fc.property(fc.string(), (text) => !text.includes('oft_') ? maskApiKeys(text) === text : !/oft_[0-9a-f]{32}/i.test(maskApiKeys(text))));
  });
});
