/**
 * The filter language's tokenizer and parser (filter.ts has the grammar): source text to a
 * `FilterNode` tree, with the explorer's error messages and positions.
 */
/** A run's fields as the filter sees them. */
export type Fields = Readonly<Record<string, string>>;
export type Predicate = (fields: Fields) => boolean;

export type CompareOp = '==' | '!=' | '~' | '!~' | '<' | '<=' | '>' | '>=';

/** A parsed filter: plain JSON, so the client can send it to a server as is. */
export type FilterNode =
  | { op: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { op: 'not'; arg: FilterNode }
  | { op: CompareOp; field: string; value: string | number };

export const COMPARE_OPS: readonly CompareOp[] = ['==', '!=', '~', '!~', '<', '<=', '>', '>='];

export class FilterError extends Error {
  constructor(message: string, readonly at: number) {
    super(`${message} (at character ${at + 1})`);
    this.name = 'FilterError';
  }
}

type Token =
  | { t: 'ident'; v: string; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'op'; v: CompareOp; at: number }
  | { t: '('; at: number }
  | { t: ')'; at: number }
  | { t: 'end'; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: c, at: i++ });
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1, v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        v += src[j++];
      }
      if (j >= src.length) throw new FilterError('unterminated string', i);
      out.push({ t: 'str', v, at: i });
      i = j + 1;
      continue;
    }
    const op = /^(==|!=|!~|<=|>=|~|<|>)/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[1] as CompareOp, at: i });
      i += op[1].length;
      continue;
    }
    const num = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][\w.]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'ident', v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    throw new FilterError(`unexpected "${c}"`, i);
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

/**
 * Parse a filter; an empty one is null (keeps every run). Throws FilterError with the position,
 * for a regular expression that does not compile too. `known`: the field names some run has
 * (omitted: any name is accepted).
 */
export function parseFilter(src: string, known?: readonly string[]): FilterNode | null {
  if (src.trim() === '') return null;
  const tokens = tokenize(src);
  let k = 0;
  const peek = () => tokens[k];
  const word = (w: string) => peek().t === 'ident' && (peek() as { v: string }).v.toLowerCase() === w;

  const or = (): FilterNode => {
    let left = and();
    while (word('or')) {
      k++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): FilterNode => {
    let left = unary();
    while (word('and')) {
      k++;
      left = { op: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): FilterNode => {
    if (word('not')) {
      k++;
      return { op: 'not', arg: unary() };
    }
    const t = peek();
    if (t.t === '(') {
      k++;
      const p = or();
      if (peek().t !== ')') throw new FilterError('expected ")"', peek().at);
      k++;
      return p;
    }
    if (t.t !== 'ident') throw new FilterError('expected a field name, "not" or "("', t.at);
    if (known && !known.includes(t.v)) throw new FilterError(`no run has a field '${t.v}'; fields: ${known.join(', ')}`, t.at);
    k++;
    const op = peek();
    if (op.t !== 'op') throw new FilterError(`expected an operator (== != ~ !~ < <= > >=) after "${t.v}"`, op.at);
    k++;
    const val = peek();
    if (val.t !== 'str' && val.t !== 'num') throw new FilterError(`expected a "string" or a number after "${op.v}"`, val.at);
    k++;
    if (op.v === '~' || op.v === '!~') {
      try {
        new RegExp(String(val.v));
      } catch (e) {
        throw new FilterError(`bad regular expression: ${(e as Error).message}`, val.at);
      }
    }
    return { op: op.v, field: t.v, value: val.v };
  };

  const p = or();
  if (peek().t !== 'end') throw new FilterError('expected "and", "or" or the end', peek().at);
  return p;
}

/** One comparison as a predicate (`~` / `!~`: `value` is a regex that compiles). */
export function comparisonOf(field: string, op: CompareOp, value: string | number): Predicate {
  if (op === '~' || op === '!~') {
    const re = new RegExp(String(value));
    return op === '~' ? (f) => re.test(f[field] ?? '') : (f) => !re.test(f[field] ?? '');
  }
  const get = (f: Fields): string | number => {
    const s = f[field] ?? '';
    if (typeof value === 'number') {
      const n = Number(s);
      return s.trim() !== '' && Number.isFinite(n) ? n : s;
    }
    return s;
  };
  const cmp = (a: string | number, b: string | number): number =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  switch (op) {
    case '==': return (f) => cmp(get(f), value) === 0;
    case '!=': return (f) => cmp(get(f), value) !== 0;
    case '<': return (f) => cmp(get(f), value) < 0;
    case '<=': return (f) => cmp(get(f), value) <= 0;
    case '>': return (f) => cmp(get(f), value) > 0;
    default: return (f) => cmp(get(f), value) >= 0;
  }
}
