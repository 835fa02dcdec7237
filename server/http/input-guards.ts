/**
 * @module
 * Checks a request's parameters, query and body before the schemas see them,
 * for what the schemas cannot safely say:
 * - the NUL character, which PostgreSQL cannot store in text (SQLite can): the
 *   same request would be a 500 on one database and a success on the other;
 * - nesting deeper than `MAX_DEPTH`, which exhausts the stack of the recursive
 *   JSON schema (a 500) long before the body limit is reached.
 */
import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../../contract/errors.ts';
import { invalidField } from '../domain/api-error.ts';

/** Deepest nesting of objects and arrays a request may hold. */
export const MAX_DEPTH = 32;

interface Node {
  value: unknown;
  key: string;
  parent: Node | null;
  depth: number;
}

function pathOf(node: Node): string {
  const keys: string[] = [];
  for (let n: Node | null = node; n?.parent; n = n.parent) keys.unshift(n.key);
  return keys.join('.');
}

/**
 * The first NUL character or too-deep nesting in `root`, or null. Iterative,
 * so a hostile body cannot exhaust the stack here either.
 * @example findInputProblem({ a: 'x\u0000' }) // { field: 'a', message: 'Must not contain …' }
 */
export function findInputProblem(root: unknown): FieldError | null {
  const stack: Node[] = [{ value: root, key: '', parent: null, depth: 0 }];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      if (node.value.includes('\0')) return { field: pathOf(node), message: 'Must not contain the NUL character (\\u0000)' };
    } else if (node.value !== null && typeof node.value === 'object') {
      if (node.depth >= MAX_DEPTH) return { field: pathOf(node), message: `Nested too deeply: at most ${MAX_DEPTH} levels` };
      for (const [key, value] of Object.entries(node.value)) {
        const child = { value, key, parent: node, depth: node.depth + 1 };
        if (key.includes('\0')) return { field: pathOf(child), message: 'Must not contain the NUL character (\\u0000)' };
        stack.push(child);
      }
    }
  }
  return null;
}

/** Installs the checks for every route; call before routes are added. */
export function useInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts = [['params', request.params], ['querystring', request.query], ['body', request.body]] as const;
    for (const [part, value] of parts) {
      const problem = findInputProblem(value);
      if (problem) throw invalidField(problem.field || part, problem.message);
    }
  });
}
