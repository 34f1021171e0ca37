/**
 * Incremental JSON Lines parser: one flat JSON object per line.
 *
 * - Long format, like the CSV: `{"run": "a", "metric": "loss", "subset": "train", "step": 1,
 *   "value": 2.5}`. Numbers are known by the same names as CSV columns (roles.ts); every other
 *   key is a string field of the series (numbers and booleans there are turned into text).
 * - Wide format, when a line has no `value`: every other numeric key is a metric of its own,
 *   `{"step": 1, "loss": 2.5, "lr": 0.001}` gives points of `loss` and `lr` (string keys are
 *   still fields). `null` values are NaN; nested objects and arrays are ignored.
 * - Without `run` the run is the file's name; without `metric` (long format) it is `value`.
 * - Python's json writes bare NaN, Infinity and -Infinity: they are read as such, in the long
 *   and the wide format (a wide `"loss": NaN` is a NaN point of loss). Strings "nan", "inf",
 *   "-inf" are accepted where a known number (step, value, time...) is expected.
 * - A partial last line waits for the rest; `end` reads a last line without a line break if it
 *   is valid JSON (a JSON object cut anywhere is not) and drops it with a warning otherwise.
 * - A bad line (not JSON, not an object, no step, a step that is not a finite number, text where
 *   a number belongs) is a warning naming the file and line, and is skipped: the lines before
 *   and after it are read, the same pushed live in pieces as read whole.
 * - A finite value beyond float32 range is stored as ±Infinity and counted in a warning.
 * - Keys may be anything (`constructor`, `__proto__` are ordinary fields).
 */
import type { SeriesBuilder } from './builder';
import { F32_MAX, beyondFloat32, setField } from './notes';
import { parseText } from './numbers';
import { roleOf, wallToMs, type NumericRole } from './roles';
import { own } from './rows';
import type { MetricTable } from './table';
import { LineParser, type TextOptions, type TextParser } from './text';

/** `run`: the run of lines without one (default: from the file name) */
export type JsonlOptions = TextOptions;

const BARE = /"(?:[^"\\]|\\.)*"|-?\b(?:NaN|Infinity)\b/g;

/**
 * A bare NaN / Infinity / -Infinity outside strings is turned into this string (with the literal
 * after it), so JSON.parse accepts the line; `bareNumber` reads it back. The private-use
 * characters around it cannot come from a log's own text by chance.
 */
const MARK = '\uE000metricgl:';
const MARK_END = '\uE001';

/** The number a marked bare literal stands for, or undefined for any other value. */
function bareNumber(v: unknown): number | undefined {
  if (typeof v !== 'string' || !v.startsWith(MARK) || !v.endsWith(MARK_END)) return undefined;
  const t = v.slice(MARK.length, -MARK_END.length);
  return t === 'NaN' ? NaN : t === 'Infinity' ? Infinity : t === '-Infinity' ? -Infinity : undefined;
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!/NaN|Infinity/.test(text)) throw e;
    // bare NaN / Infinity outside strings → marked strings, read as numbers below
    return JSON.parse(text.replace(BARE, (m) => (m.charCodeAt(0) === 34 ? m : `"${MARK}${m}${MARK_END}"`)));
  }
}

/** A line that cannot be read: skipped with a warning. */
class BadLine {
  constructor(readonly detail: string) {}
}

class JsonlParser extends LineParser {
  private line = 0;
  private readonly roles = new Map<string, NumericRole | null>();
  private readonly cache = new Map<string, SeriesBuilder>();

  /** The line being read cannot be: it is skipped with a warning (see `object`). */
  private fail(detail: string): never {
    throw new BadLine(detail);
  }

  protected consume(s: string): number {
    let pos = 0;
    for (;;) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) break;
      this.line++;
      this.object(s.slice(pos, nl));
      pos = nl + 1;
    }
    return pos;
  }

  end(): void {
    const s = this.takeRest();
    if (s.trim().length > 0) {
      this.line++;
      let obj: unknown;
      try {
        obj = parseLine(s);
      } catch {
        obj = undefined;
      }
      if (obj === undefined) this.notes.skipped(this.line, 'the last line is not complete JSON (the file may still be being written)');
      else this.read(obj);
    }
    this.notes.end();
  }

  /** The points of one parsed line; a bad line is a warning and adds nothing. */
  private read(obj: unknown): void {
    try {
      this.points(obj);
    } catch (e) {
      if (!(e instanceof BadLine)) throw e;
      this.notes.skipped(this.line, e.detail);
    }
  }

  private role(key: string): NumericRole | null {
    let r = this.roles.get(key);
    if (r === undefined) {
      r = roleOf(key);
      this.roles.set(key, r);
    }
    return r;
  }

  private object(text: string): void {
    if (text.length === 0 || (text.length === 1 && text.charCodeAt(0) === 13)) return;
    let obj: unknown;
    try {
      obj = parseLine(text);
    } catch (e) {
      if (text.trim() === '') return;
      const why = e instanceof Error ? e.message : String(e);
      this.notes.skipped(this.line, `not valid JSON (${why.slice(0, 120)})`);
      return;
    }
    this.read(obj);
  }

  private num(key: string, v: unknown): number {
    if (typeof v === 'number') return v;
    if (v === null) return NaN;
    if (typeof v === 'string') {
      const bare = bareNumber(v);
      if (bare !== undefined) return bare;
      const n = parseText(v);
      if (n === n || /nan/i.test(v)) return n;
    }
    this.fail(`${key} ${JSON.stringify(v).slice(0, 40)} is not a number`);
  }

  private points(obj: unknown): void {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) this.fail('not a JSON object');
    const o = obj as Record<string, unknown>;
    let step = NaN;
    let hasStep = false;
    let value = NaN;
    let hasValue = false;
    let time = NaN;
    let wall = NaN;
    let epoch = NaN;
    let id = '';
    const fields: Record<string, string> = {};
    let wide: string[] | null = null;
    for (const k in o) {
      const v = o[k];
      const role = this.role(k);
      if (role !== null) {
        const n = this.num(k, v);
        switch (role) {
          case 'step':
            step = n;
            hasStep = true;
            break;
          case 'value':
            value = n;
            hasValue = true;
            break;
          case 'time_ms':
            time = n;
            break;
          case 'time_s':
            time = n * 1000;
            break;
          case 'wall':
            wall = typeof v === 'string' && n !== n && /^\s*\d{4}-\d\d-\d\d/.test(v) ? Date.parse(v) : wallToMs(n);
            break;
          case 'epoch':
            epoch = n;
        }
      } else if ((typeof v === 'string' && bareNumber(v) === undefined) || typeof v === 'boolean') {
        const t = String(v);
        setField(fields, k, t);
        id += k + '\u0001' + t + '\u0001';
      } else if (typeof v === 'number' || v === null || typeof v === 'string') {
        (wide ??= []).push(k);
      }
    }
    if (!hasStep) this.fail('no "step"');
    // a point needs a place on the x axis (the CSV loader says the same)
    if (!(step - step === 0)) this.fail(`step ${step} is not a finite number`);
    if (hasValue) {
      // long format: other numbers are fields too
      if (wide) {
        for (const k of wide) {
          const t = typeof o[k] === 'string' ? String(this.num(k, o[k])) : String(o[k]);
          setField(fields, k, t);
          id += k + '\u0001' + t + '\u0001';
        }
      }
      this.check(value, 'value');
      this.series(id, fields, null).push(step, value, time, wall, epoch);
      return;
    }
    if (!wide) this.fail('no "value" (nor any other numeric field)');
    // all values first: a bad one skips the whole line, not the metrics after it
    const values = wide.map((k) => this.num(k, o[k]));
    for (let i = 0; i < wide.length; i++) {
      this.check(values[i], wide[i]);
      this.series(id, fields, wide[i]).push(step, values[i], time, wall, epoch);
    }
  }

  /** Counts a value of `column` that float32 cannot hold. */
  private check(v: number, column: string): void {
    if ((v > F32_MAX || v < -F32_MAX) && beyondFloat32(v)) this.notes.beyondFloat32(column, `line ${this.line}`, v);
  }

  private series(id: string, fields: Record<string, string>, wideMetric: string | null): SeriesBuilder {
    const cacheKey = wideMetric === null ? id : id + '\u0002' + wideMetric;
    let b = this.cache.get(cacheKey);
    if (b) return b;
    const f: Record<string, string> = {};
    for (const k in fields) setField(f, k, own(fields[k]));
    f.run ??= this.fileRun;
    if (wideMetric !== null) f.metric = own(wideMetric);
    else f.metric ??= this.fileMetric;
    b = this.table.series(f.run, f.metric, f);
    this.cache.set(cacheKey, b);
    return b;
  }
}

export function createJsonlParser(fileName: string, opts: JsonlOptions = {}): TextParser {
  return new JsonlParser(fileName, opts);
}

export function parseJsonl(fileName: string, text: string, opts: JsonlOptions = {}): MetricTable {
  const p = createJsonlParser(fileName, opts);
  p.push(text);
  p.end();
  return p.table;
}
