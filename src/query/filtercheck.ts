/**
 * A filter tree that arrived from elsewhere (a request body) checked before it is evaluated:
 * the shape, sizes, and every regular expression. The server evaluates it over its series catalog
 * with the same predicates the explorer uses; nothing of it ever reaches SQL.
 *
 * Regular expressions run on the JS engine's backtracking matcher, so besides compiling they are
 * capped in length and refused when a quantified group holds a quantifier (`(a+)+`, `(a|a*)*`):
 * the shape whose matching time can grow exponentially with the field's length.
 */
import { COMPARE_OPS, type CompareOp, type FilterNode } from './filterparse';

export const FILTER_LIMITS = { depth: 64, nodes: 1000, field: 256, value: 4096, regex: 256 } as const;

const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,?\d*\})/;

/** The tree in `raw`, checked; RangeError names the place (`where.left.arg`) and what is wrong. */
export function checkFilterNode(raw: unknown, path = 'where'): FilterNode {
  let nodes = 0;
  const walk = (v: unknown, at: string, depth: number): FilterNode => {
    if (++nodes > FILTER_LIMITS.nodes) throw new RangeError(`${path}: more than ${FILTER_LIMITS.nodes} nodes`);
    if (depth > FILTER_LIMITS.depth) throw new RangeError(`${at}: nested deeper than ${FILTER_LIMITS.depth}`);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RangeError(`${at}: not a filter node (an object with "op")`);
    const o = v as Record<string, unknown>;
    const op = o.op;
    if (op === 'and' || op === 'or') return { op, left: walk(o.left, `${at}.left`, depth + 1), right: walk(o.right, `${at}.right`, depth + 1) };
    if (op === 'not') return { op, arg: walk(o.arg, `${at}.arg`, depth + 1) };
    if (typeof op !== 'string' || !(COMPARE_OPS as readonly string[]).includes(op)) {
      throw new RangeError(`${at}.op: ${JSON.stringify(op)} is not one of and, or, not, ${COMPARE_OPS.join(' ')}`);
    }
    const { field, value } = o;
    if (typeof field !== 'string' || field === '' || field.length > FILTER_LIMITS.field) {
      throw new RangeError(`${at}.field: a non-empty string of at most ${FILTER_LIMITS.field} characters`);
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`${at}.value: ${value} is not a finite number`);
    } else if (typeof value !== 'string' || value.length > FILTER_LIMITS.value) {
      throw new RangeError(`${at}.value: a string of at most ${FILTER_LIMITS.value} characters or a number`);
    }
    if (op === '~' || op === '!~') checkRegex(String(value), `${at}.value`);
    return { op: op as CompareOp, field, value };
  };
  return walk(raw, path, 0);
}

function checkRegex(src: string, at: string): void {
  if (src.length > FILTER_LIMITS.regex) throw new RangeError(`${at}: regular expression longer than ${FILTER_LIMITS.regex} characters`);
  try {
    new RegExp(src);
  } catch (e) {
    throw new RangeError(`${at}: bad regular expression: ${(e as Error).message}`);
  }
  if (NESTED_QUANTIFIER.test(src)) throw new RangeError(`${at}: a quantified group holding a quantifier (${src}) can take exponential time; refused`);
}
