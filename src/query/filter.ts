/**
 * The run filter: a small expression language over run fields, in the spirit of Aim's query box.
 *
 *   record ~ "Muon" and subset == "train"
 *   not (record ~ "^track_2") or steps >= 1000
 *
 * Grammar: or := and ("or" and)* ; and := unary ("and" unary)* ;
 *          unary := "not" unary | "(" or ")" | field op value ;
 *          op := == != ~ !~ < <= > >=   (~ is a regular-expression match) ;
 *          value := "string" | 'string' | number.
 * A field that a run does not have is "" (so `x != "a"` holds for it). Comparisons with a number
 * compare numerically when the field reads as a number. Given the fields the runs have, a field
 * none of them has is an error that lists them: a typo would otherwise match nothing (or
 * everything) and leave a blank page with no reason given.
 *
 * Shared by the explorer (which filters in memory) and the metricgl server (which receives the
 * parsed tree, `FilterNode`, over HTTP and evaluates it over its series catalog in JS: a filter
 * never becomes SQL). Parsing and evaluating are separate so the tree can travel as JSON;
 * `checkFilterNode` validates one that arrived from elsewhere.
 */
import { comparisonOf, parseFilter, type Fields, type FilterNode, type Predicate } from './filterparse';

export { FilterError, parseFilter, type CompareOp, type FilterNode } from './filterparse';
export { checkFilterNode } from './filtercheck';

export type { Fields, Predicate } from './filterparse';

/**
 * The predicate of a tree, its regular expressions compiled once, here (a tree from `parseFilter`
 * or `checkFilterNode` holds only ones that compile).
 */
export function predicateOf(node: FilterNode): Predicate {
  switch (node.op) {
    case 'and': {
      const a = predicateOf(node.left), b = predicateOf(node.right);
      return (f) => a(f) && b(f);
    }
    case 'or': {
      const a = predicateOf(node.left), b = predicateOf(node.right);
      return (f) => a(f) || b(f);
    }
    case 'not': {
      const p = predicateOf(node.arg);
      return (f) => !p(f);
    }
    default:
      return comparisonOf(node.field, node.op, node.value);
  }
}

const compiled = new WeakMap<FilterNode, Predicate>();

/** Whether `fields` pass the tree (null: no filter). The compiled predicate is kept per tree. */
export function evalFilter(node: FilterNode | null, fields: Fields): boolean {
  if (!node) return true;
  let p = compiled.get(node);
  if (!p) compiled.set(node, (p = predicateOf(node)));
  return p(fields);
}

/**
 * Compile a filter; an empty one keeps every run. Throws FilterError with the position. `known`:
 * the field names some run has (omitted: any name is accepted).
 */
export function compileFilter(src: string, known?: readonly string[]): Predicate {
  const node = parseFilter(src, known);
  return node ? predicateOf(node) : () => true;
}
