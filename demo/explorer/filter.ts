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
 */

export type Fields = Readonly<Record<string, string>>;
export type Predicate = (fields: Fields) => boolean;

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
  | { t: 'op'; v: string; at: number }
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
      out.push({ t: 'op', v: op[1], at: i });
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
 * Compile a filter; an empty one keeps every run. Throws FilterError with the position. `known`:
 * the field names some run has (omitted: any name is accepted).
 */
export function compileFilter(src: string, known?: readonly string[]): Predicate {
  if (src.trim() === '') return () => true;
  const tokens = tokenize(src);
  let k = 0;
  const peek = () => tokens[k];
  const word = (w: string) => peek().t === 'ident' && (peek() as { v: string }).v.toLowerCase() === w;

  const or = (): Predicate => {
    let left = and();
    while (word('or')) {
      k++;
      const a = left, b = and();
      left = (f) => a(f) || b(f);
    }
    return left;
  };
  const and = (): Predicate => {
    let left = unary();
    while (word('and')) {
      k++;
      const a = left, b = unary();
      left = (f) => a(f) && b(f);
    }
    return left;
  };
  const unary = (): Predicate => {
    if (word('not')) {
      k++;
      const p = unary();
      return (f) => !p(f);
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
    return comparison(t.v, op.v, val.v, val.at);
  };

  const p = or();
  if (peek().t !== 'end') throw new FilterError('expected "and", "or" or the end', peek().at);
  return p;
}

function comparison(field: string, op: string, value: string | number, at: number): Predicate {
  if (op === '~' || op === '!~') {
    let re: RegExp;
    try {
      re = new RegExp(String(value));
    } catch (e) {
      throw new FilterError(`bad regular expression: ${(e as Error).message}`, at);
    }
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
