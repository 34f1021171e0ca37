/**
 * Numbers spliced into ClickHouse SQL text, formatted here from validated values: the only kind
 * of value that reaches a query's text (row values travel as RowBinary in an insert body).
 *
 * 18.16's HTTP interface has no bound query parameters; a newer server (19.x+) would take
 * `{x0:Float64}` placeholders with `param_x0=` URL parameters instead, and these helpers would go.
 *
 * A float64 must come back as exactly the same double, or a point on a column edge or on x0 lands
 * in another column than in the reference. 18.16 parses decimal literals in the normal range
 * exactly (checked on 15 000 random bit patterns), but refuses subnormals (`1e-320` is a syntax
 * error) and reads `0` as +0; so -0 is written `-0.0`, subnormals as their eight bytes through
 * `reinterpretAsFloat64(unhex(...))`, and every literal is wrapped in toFloat64 so that an
 * integral value (`1000`) is a Float64 like the column it is compared with, not a UInt16, and
 * the arithmetic of the column formula is float64 throughout as in `columnOf`.
 */

const MIN_NORMAL = 2.2250738585072014e-308;

/** A finite double as a ClickHouse Float64 expression that evaluates to exactly that double. */
export function sqlFloat64(v: number): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`not a finite number: ${String(v)}`);
  if (Object.is(v, -0)) return 'toFloat64(-0.0)';
  if (v !== 0 && Math.abs(v) < MIN_NORMAL) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return `reinterpretAsFloat64(unhex('${b.toString('hex')}'))`;
  }
  const s = String(v); // the shortest decimal that round-trips: digits, '.', 'e', '+', '-' only
  return `toFloat64(${/[.e]/.test(s) ? s : `${s}.0`})`;
}

/** An integer in [lo, hi] as SQL text. */
export function sqlInt(v: number, lo = -0x80000000, hi = 0x7fffffff): string {
  if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new RangeError(`not an integer in [${lo}, ${hi}]: ${String(v)}`);
  return String(v);
}
