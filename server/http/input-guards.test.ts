import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInputProblem, MAX_DEPTH } from './input-guards.ts';

/** `value` wrapped in `depth` arrays. */
const nested = (depth: number, value: unknown = 1): unknown => {
  let result = value;
  for (let i = 0; i < depth; i++) result = [result];
  return result;
};

describe('findInputProblem', () => {
  it('finds a NUL character in any string or key, with its path', () => {
    expect(findInputProblem('a\u0000')).toEqual({ field: '', message: expect.stringMatching(/NUL/) });
    expect(findInputProblem({ a: { b: ['ok', 'x\u0000'] } })?.field).toBe('a.b.1');
    expect(findInputProblem({ a: { 'k\u0000': 1 } })?.field).toBe('a.k\u0000');
  });

  it('accepts nesting up to the limit and names the first level beyond it', () => {
    expect(findInputProblem(nested(MAX_DEPTH))).toBeNull();
    expect(findInputProblem(nested(MAX_DEPTH + 1))).toEqual({ field: Array(MAX_DEPTH).fill('0').join('.'), message: expect.stringMatching(/deep/) });
    expect(findInputProblem(nested(200_000))).not.toBeNull();
  });

  it('accepts any JSON free of NUL characters within the depth', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => JSON.stringify(value).includes('\\u0000') || findInputProblem(value) === null));
  });
});
