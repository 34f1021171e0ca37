/**
 * Number parsing for the text loaders. `parseNumber` reads a decimal straight from the chunk
 * (no substring): a mantissa below 2^53 (up to 15 digits always, 16 mostly: the float32 values
 * training scripts print) with |exponent| <= 22 is exact in a double, and so is 10^e, so
 * m * 10^e or m / 10^e is one correctly rounded operation (Clinger's fast path) and the result is
 * the same as Number()'s. Other well-formed decimals (17 digits, large exponents) go to Number()
 * on the cell's text; anything else to parseText (whitespace, nan / inf literals, not a number).
 */

const P10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) P10.push(p);

const TWO53 = 2 ** 53;

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
  let exp = 0;
  let digits = 0;
  for (; i < b; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    digits++;
    m = m * 10 + (c - 48);
  }
  if (c === 46 && i < b) {
    for (i++; i < b; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      digits++;
      m = m * 10 + (c - 48);
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
  if (i !== b || digits === 0) return parseText(s.slice(a, b));
  numberOk = true;
  // m is exact while it stays below 2^53: every partial sum is then an integer below it, and a
  // rounded one could not fall below it (rounding is monotone and 2^53 is a double)
  if (m >= TWO53 || exp > 22 || exp < -22) return Number(s.slice(a, b));
  const v = exp >= 0 ? m * P10[exp] : m / P10[-exp];
  return neg ? -v : v;
}
