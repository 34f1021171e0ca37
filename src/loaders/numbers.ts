/**
 * Number parsing for the text loaders. `parseNumber` reads a decimal straight from the chunk
 * (no substring): mantissas of up to 15 digits with |exponent| <= 22 are exact in a double, so
 * m * 10^e or m / 10^e is one correctly rounded operation (Clinger's fast path) and the result is
 * the same as Number()'s; everything else goes to Number() on the trimmed text.
 */

const P10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) P10.push(p);

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Set by parseNumber: false when the text was not a number (the result is then NaN). */
export let numberOk = true;

/** NaN, inf, -inf, Infinity (any case), or undefined when the text is none of them. */
export function nonFinite(t: string): number | undefined {
  switch (t.toLowerCase()) {
    case 'nan':
    case '+nan':
    case '-nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}

/** A number from free text (trimmed): decimals, exponents, nan/inf literals; NaN + numberOk=false otherwise. */
export function parseText(text: string): number {
  const t = text.trim();
  numberOk = true;
  if (DECIMAL.test(t)) return Number(t);
  const nf = nonFinite(t);
  if (nf !== undefined) return nf;
  numberOk = false;
  return NaN;
}

/** The number in s[a, b). Sets numberOk. Empty text is not a number (callers decide about it). */
export function parseNumber(s: string, a: number, b: number): number {
  let i = a;
  let c = s.charCodeAt(i);
  let neg = false;
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let m = 0;
  let nd = 0; // significant digits in m
  let exp = 0;
  let digits = 0;
  for (; i < b; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    digits++;
    if (m !== 0 || c !== 48) {
      m = m * 10 + (c - 48);
      nd++;
    }
  }
  if (c === 46 && i < b) {
    for (i++; i < b; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      digits++;
      if (m !== 0 || c !== 48) {
        m = m * 10 + (c - 48);
        nd++;
      }
      exp--;
    }
  }
  if (i < b && (c === 101 || c === 69) && digits > 0) {
    i++;
    let eneg = false;
    c = s.charCodeAt(i);
    if (c === 45) {
      eneg = true;
      i++;
    } else if (c === 43) i++;
    let e = 0;
    let ed = 0;
    for (; i < b; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (e < 1e6) e = e * 10 + (c - 48);
      ed++;
    }
    if (ed === 0) return parseText(s.slice(a, b));
    exp += eneg ? -e : e;
  }
  if (i !== b || digits === 0 || nd > 15 || exp > 22 || exp < -22) return parseText(s.slice(a, b));
  numberOk = true;
  const v = exp >= 0 ? m * P10[exp] : m / P10[-exp];
  return neg ? -v : v;
}
