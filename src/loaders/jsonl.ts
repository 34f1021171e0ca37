/**
 * Incremental JSON Lines parser: one flat JSON object per line.
 *
 * - Long format, like the CSV: `{"run": "a", "metric": "loss", "subset": "train", "step": 1,
 *   "value": 2.5}`. Numbers are known by the same names as CSV columns (rows.ts); every other
 *   key is a string field of the series (numbers and booleans there are turned into text).
 * - Wide format, when a line has no `value`: every other numeric key is a metric of its own,
 *   `{"step": 1, "loss": 2.5, "lr": 0.001}` gives points of `loss` and `lr` (string keys are
 *   still fields). `null` values are NaN; nested objects and arrays are ignored.
 * - Without `run` the run is the file's name; without `metric` (long format) it is `value`.
 * - Python's json writes bare NaN, Infinity and -Infinity: they are read as such. Strings
 *   "nan", "inf", "-inf" are accepted where a number is expected.
 * - A partial last line waits for the rest; `end` drops a last line without a line break that
 *   is not valid JSON (a file caught mid-write) with a warning. Any other bad line is an error
 *   naming the file and line.
 */
import type { TextParser } from './csv';
import { namesFromFile } from './csv';
import { parseText } from './numbers';
import { LoadError, MetricTable, SeriesBuilder, own, roleOf, wallToMs, type NumericRole } from './rows';

export interface JsonlOptions {
  table?: MetricTable;
  /** run name when lines have no `run` (default: from the file name) */
  run?: string;
}

const BARE = /"(?:[^"\\]|\\.)*"|-?\b(?:NaN|Infinity)\b/g;

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!/NaN|Infinity/.test(text)) throw e;
    // bare NaN / Infinity outside strings → strings, read as numbers below
    return JSON.parse(text.replace(BARE, (m) => (m.charCodeAt(0) === 34 ? m : `"${m}"`)));
  }
}

class JsonlParser implements TextParser {
  readonly table: MetricTable;
  readonly warnings: string[] = [];
  private rest = '';
  private line = 0;
  private failed: LoadError | null = null;
  private readonly fileRun: string;
  private readonly fileMetric: string;
  private readonly roles = new Map<string, NumericRole | null>();
  private readonly cache = new Map<string, SeriesBuilder>();

  constructor(
    private readonly file: string,
    opts: JsonlOptions,
  ) {
    this.table = opts.table ?? new MetricTable();
    const names = namesFromFile(file);
    this.fileRun = opts.run ?? names.run;
    this.fileMetric = names.metric ?? 'value';
  }

  private fail(detail: string): never {
    this.failed = new LoadError(this.file, `line ${this.line}: ${detail}`);
    throw this.failed;
  }

  push(chunk: string): void {
    if (this.failed) throw this.failed;
    const s = this.rest.length > 0 ? this.rest + chunk : chunk;
    let pos = 0;
    for (;;) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) break;
      this.line++;
      this.object(s.slice(pos, nl));
      pos = nl + 1;
    }
    this.rest = s.slice(pos);
  }

  end(): void {
    if (this.failed) throw this.failed;
    const s = this.rest;
    this.rest = '';
    if (s.trim().length === 0) return;
    this.line++;
    let obj: unknown;
    try {
      obj = parseLine(s);
    } catch {
      this.warnings.push(`${this.file}: line ${this.line}: the last line is not complete JSON (the file may be incomplete); it was ignored`);
      return;
    }
    this.points(obj);
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
      this.fail(`not valid JSON (${why.slice(0, 120)})`);
    }
    this.points(obj);
  }

  private num(key: string, v: unknown): number {
    if (typeof v === 'number') return v;
    if (v === null) return NaN;
    if (typeof v === 'string') {
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
      } else if (typeof v === 'string' || typeof v === 'boolean') {
        const t = String(v);
        fields[k] = t;
        id += k + '\u0001' + t + '\u0001';
      } else if (typeof v === 'number' || v === null) {
        (wide ??= []).push(k);
      }
    }
    if (!hasStep) this.fail('no "step"');
    if (step !== step) this.fail('the step is not a number');
    if (hasValue) {
      // long format: other numbers are fields too
      if (wide) {
        for (const k of wide) {
          const t = String(o[k]);
          fields[k] = t;
          id += k + '\u0001' + t + '\u0001';
        }
      }
      this.series(id, fields, null).push(step, value, time, wall, epoch);
      return;
    }
    if (!wide) this.fail('no "value" (nor any other numeric field)');
    for (const k of wide) this.series(id, fields, k).push(step, this.num(k, o[k]), time, wall, epoch);
  }

  private series(id: string, fields: Record<string, string>, wideMetric: string | null): SeriesBuilder {
    const cacheKey = wideMetric === null ? id : id + '\u0002' + wideMetric;
    let b = this.cache.get(cacheKey);
    if (b) return b;
    const f: Record<string, string> = {};
    for (const k in fields) f[k] = own(fields[k]);
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
