/**
 * The CSV header row: which column holds what (roles.ts names the numeric columns), checked once
 * so that a row is read by column number alone.
 */
import { EPOCH, STEP, STRING, TIME_MS, TIME_S, VALUE, WALL, type CsvHeader } from './csv-rows';
import { normaliseName, roleOf, type NumericRole } from './roles';

const ROLE: Record<NumericRole, number> = { step: STEP, value: VALUE, time_ms: TIME_MS, time_s: TIME_S, wall: WALL, epoch: EPOCH };
const ROLE_NAME = ['', 'step', 'value', 'time', 'time', 'wall time', 'epoch'];

/**
 * The header of these fields; `fail` is called with what is wrong when the file cannot be read
 * with it (no step or value column, a column twice).
 */
export function csvHeader(cols: string[], delimiter: string, fail: (detail: string) => never): CsvHeader {
  const names = cols.map((c) => c.trim());
  const roles = names.map((n) => {
    const r = roleOf(n);
    return r === null ? STRING : ROLE[r];
  });
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const k = roles[i] === STRING ? normaliseName(n) : `#${roles[i]}`;
    if (seen.has(k)) {
      const what = roles[i] === STRING ? `column "${n}"` : `columns "${names[seen.get(k)!]}" and "${n}" (both are the ${ROLE_NAME[roles[i]]})`;
      fail(`header: ${what} ${roles[i] === STRING ? 'appears twice' : 'clash'}`);
    }
    seen.set(k, i);
  });
  const shown = names.join(delimiter);
  if (!roles.includes(STEP)) fail(`header: no "step" column (the header is: ${shown.slice(0, 200)})`);
  if (!roles.includes(VALUE)) fail(`header: no "value" column (the header is: ${shown.slice(0, 200)})`);
  return {
    names,
    roles,
    valueCol: roles.indexOf(VALUE),
    runCol: names.findIndex((n, i) => roles[i] === STRING && normaliseName(n) === 'run'),
    metricCol: names.findIndex((n, i) => roles[i] === STRING && normaliseName(n) === 'metric'),
  };
}
