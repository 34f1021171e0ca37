/**
 * Incremental CSV parser for metric logs in long format (`run,...,step,value`), one point per row.
 *
 * - RFC 4180: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF or LF.
 * - The header row is required and names the columns (see rows.ts for the numeric names): it must
 *   have `step` and `value`. Every other column is a string field and part of the series key.
 *   Without a `run` column the run is the file's name (`loss.csv` → `loss`; TensorBoard's CSV
 *   export `run-NAME-tag-TAG.csv` → run NAME, metric TAG); without a `metric` column the
 *   metric is `value`.
 * - `push` takes any piece of the text: a partial last line waits for the rest (live tails).
 * - A bad row (a wrong number of fields, text where a number belongs, a step that is empty, NaN
 *   or infinite) is a warning naming the file, line and column, and is skipped: the rows before
 *   and after it are read, the same pushed live in pieces as read whole. Only a bad header (no
 *   step or value column, a column twice), no header, or an empty file stop the file (a
 *   LoadError; after one every push throws it again).
 * - The last line at `end`: a line without a line break is not read, with a warning. A file
 *   caught mid-write ends mid-line, and a number cut there still parses (`1.308` cut to `1`):
 *   the only sign that the line is whole is its line break, so a last line without one is never
 *   trusted (every CSV writer ends rows with a line break; the warning says so).
 * - A quote that opens a field and does not close within `QUOTED_LINES` line breaks (or before
 *   the end of the file) is a stray quote, not a multi-line field: the line it opens on is
 *   skipped with a warning naming it, and reading goes on at the next line.
 * - Numbers: decimals and exponents, and nan / inf / -inf / Infinity literals as non-finite
 *   values. An empty value, time, wall or epoch cell is NaN (pandas writes NaN that way). A
 *   finite value beyond float32 range is stored as ±Infinity and counted in a warning.
 * - A column may have any name (`constructor`, `__proto__` are ordinary string fields).
 */
import { F32_MAX, FileNotes, beyondFloat32, setField } from './notes';
import { numberOk, parseNumber } from './numbers';
import { LoadError, MetricTable, SeriesBuilder, normaliseName, own, roleOf, wallToMs, type NumericRole } from './rows';

export interface TextParser {
  /** Parse a piece of the text; a bad line is a warning, a bad file throws a LoadError (file, what). */
  push(chunk: string): void;
  /** The text is complete. */
  end(): void;
  readonly table: MetricTable;
  /** Problems that did not stop the file (skipped lines, an incomplete last line), each `file: line N: ...` */
  readonly warnings: string[];
}

export interface CsvOptions {
  /** the table to add to (default: a new one) */
  table?: MetricTable;
  /** field delimiter (default ','; '\t' for .tsv) */
  delimiter?: string;
  /** run name when the file has no run column (default: from the file name) */
  run?: string;
}

// column roles as small ints: a switch on them stays monomorphic
const STRING = 0;
const STEP = 1;
const VALUE = 2;
const TIME_MS = 3;
const TIME_S = 4;
const WALL = 5;
const EPOCH = 6;
const ROLE: Record<NumericRole, number> = { step: STEP, value: VALUE, time_ms: TIME_MS, time_s: TIME_S, wall: WALL, epoch: EPOCH };
const ROLE_NAME = ['', 'step', 'value', 'time', 'time', 'wall time', 'epoch'];

/** Line breaks a quoted field may span before its opening quote is taken for a stray one. */
export const QUOTED_LINES = 100;

/** A row that cannot be read: skipped with a warning (thrown out of the cell being read). */
class BadRow {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {}
}

/** quoted(): the record is not complete yet (wait for more text) / it has a stray quote. */
const INCOMPLETE = -1;
const STRAY_QUOTE = -2;

/** True when the one record in `s` (no line break after it) ends inside a quoted field. */
function endsInQuote(s: string, delim: string): boolean {
  let inQuote = false;
  let fieldStart = true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      if (c === '"') {
        if (s[i + 1] === '"') i++;
        else inQuote = false;
      }
    } else if (c === '"' && fieldStart) inQuote = true;
    fieldStart = !inQuote && (c === delim || c === '\n');
  }
  return inQuote;
}

/** Run and metric implied by a file name: `run-NAME-tag-TAG.csv` (TensorBoard export) or the stem. */
export function namesFromFile(fileName: string): { run: string; metric: string | null } {
  const base = fileName.replace(/^.*[\\/]/, '');
  const stem = base.replace(/(\.(csv|tsv|txt|jsonl|ndjson|json))?(\.gz)?$/i, '');
  const tb = /^run[-_](.*)-tag-(.+)$/.exec(stem);
  if (tb) return { run: tb[1] || stem, metric: tb[2] };
  return { run: stem || base, metric: null };
}

class CsvParser implements TextParser {
  readonly table: MetricTable;
  readonly warnings: string[];
  private readonly delim: string;
  private rest = '';
  /** lines consumed before `rest` */
  private line = 0;
  private failed: LoadError | null = null;
  private bomChecked = false;
  private readonly notes: FileNotes;

  // after the header
  private names: string[] | null = null;
  private roles: number[] = [];
  private ncol = 0;
  private valueCol = -1;
  private runCol = -1;
  private metricCol = -1;
  private readonly fileRun: string;
  private readonly fileMetric: string;

  // the row being read
  private vals: string[] = [];
  private changed = true;
  private builder: SeriesBuilder | null = null;
  private readonly cache = new Map<string, SeriesBuilder>();
  private step = NaN;
  private value = NaN;
  private time = NaN;
  private wall = NaN;
  private epoch = NaN;

  constructor(
    private readonly file: string,
    opts: CsvOptions,
  ) {
    this.table = opts.table ?? new MetricTable();
    this.notes = new FileNotes(file);
    this.warnings = this.notes.list;
    this.delim = opts.delimiter ?? ',';
    if (this.delim.length !== 1 || this.delim === '"' || this.delim === '\n') throw new Error(`bad delimiter ${JSON.stringify(this.delim)}`);
    const names = namesFromFile(file);
    this.fileRun = opts.run ?? names.run;
    this.fileMetric = names.metric ?? 'value';
  }

  /** The file cannot be read (its header). */
  private fail(detail: string): never {
    this.failed = new LoadError(this.file, detail);
    throw this.failed;
  }

  /** The row being read cannot be: it is skipped (see skip). */
  private bad(detail: string): never {
    throw new BadRow(this.line, detail);
  }

  /** A row threw: a BadRow is a warning and the row is left out; anything else goes on up. */
  private skip(e: unknown): void {
    if (!(e instanceof BadRow)) throw e;
    this.notes.skipped(e.line, e.detail);
    // what the skipped row's cells set must not reach the next point
    this.time = this.wall = this.epoch = NaN;
    this.changed = true;
  }

  push(chunk: string): void {
    if (this.failed) throw this.failed;
    if (!this.bomChecked && chunk.length > 0) {
      this.bomChecked = true;
      if (this.rest.length === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const s = this.rest.length > 0 ? this.rest + chunk : chunk;
    this.rest = s.slice(this.scan(s));
  }

  end(): void {
    if (this.failed) throw this.failed;
    let s = this.rest;
    this.rest = '';
    while (s.trim().length > 0) {
      if (this.names === null) {
        // a header alone, without a line break, is still a header (a file with no rows yet)
        if (this.scan(s + '\n') < s.length + 1) this.fail(`line ${this.line + 1}: the header ends inside a quoted field`);
        break;
      }
      if (!endsInQuote(s, this.delim)) {
        this.notes.skipped(
          this.line + 1,
          'the last line has no line break, so it may have been cut off mid-write (a file still being written); end the file with a line break to have it read',
        );
        break;
      }
      // a quoted field still open at the end of the file: a stray quote. The lines after the
      // one it opens on are read again without it (all end with a line break but the last).
      this.line++;
      this.notes.skipped(this.line, 'a quoted field opens on this line and is never closed');
      const nl = s.indexOf('\n');
      if (nl < 0) break;
      s = s.slice(nl + 1);
      s = s.slice(this.scan(s));
    }
    if (this.names === null) this.fail(this.line === 0 ? 'the file is empty' : 'no header row');
    this.notes.end();
  }

  /** Parse the complete records of s; returns where the unparsed rest starts. */
  private scan(s: string): number {
    const len = s.length;
    let pos = 0;
    // No search for quotes ahead of the current line: V8 can hoist a conditional indexOf out of
    // its branch (it is a pure operation), which made a per-chunk search run on every line.
    while (pos < len) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) break;
      let end = nl;
      if (end > pos && s.charCodeAt(end - 1) === 13) end--;
      let plain = true;
      if (end > pos) {
        if (this.names === null) {
          const line = s.slice(pos, end);
          plain = !line.includes('"');
          if (plain) {
            this.line++;
            this.header(line.split(this.delim));
          }
        } else {
          this.line++;
          try {
            plain = this.row(s, pos, end);
          } catch (e) {
            this.skip(e);
          }
          if (!plain) this.line--;
        }
      } else this.line++;
      if (plain) pos = nl + 1;
      else {
        const next = this.quoted(s, pos);
        if (next === INCOMPLETE) break;
        if (next === STRAY_QUOTE) {
          this.line++;
          if (this.names === null) this.fail(`line ${this.line}: the header has a quoted field that does not close within ${QUOTED_LINES} lines`);
          this.notes.skipped(this.line, `a quoted field opens on this line and does not close within ${QUOTED_LINES} lines`);
          pos = nl + 1;
        } else pos = next;
      }
    }
    return pos;
  }

  /** One data row s[a, b) read in place; false (nothing added) when a field starts with a quote. */
  private row(s: string, a: number, b: number): boolean {
    const delim = this.delim;
    const last = this.ncol - 1;
    let p = a;
    for (let c = 0; c < last; c++) {
      if (s.charCodeAt(p) === 34) return false;
      const e = s.indexOf(delim, p);
      if (e < 0 || e >= b) {
        if (c === 0 && s.slice(a, b).trim() === '') return true; // whitespace-only line
        this.bad(`${c + 1} fields, the header has ${this.ncol}`);
      }
      this.cell(c, s, p, e);
      p = e + 1;
    }
    if (s.charCodeAt(p) === 34) return false;
    const e = s.indexOf(delim, p);
    if (e >= 0 && e < b) this.bad(`more fields than the header's ${this.ncol}`);
    this.cell(last, s, p, b);
    this.point();
    return true;
  }

  /**
   * A record with quotes starting at `pos` (a fresh line); returns the index after it,
   * INCOMPLETE, or STRAY_QUOTE when a quoted field spans more than QUOTED_LINES line breaks.
   */
  private quoted(s: string, pos: number): number {
    const len = s.length;
    const delimCode = this.delim.charCodeAt(0);
    const fields: string[] = [];
    let field = '';
    let lines = 0;
    let i = pos;
    for (;;) {
      // start of a field
      if (i < len && s.charCodeAt(i) === 34) {
        i++;
        let from = i;
        for (;;) {
          const q = s.indexOf('"', i);
          const to = q < 0 ? len : q;
          for (let k = s.indexOf('\n', i); k >= 0 && k < to; k = s.indexOf('\n', k + 1)) lines++;
          if (lines > QUOTED_LINES) return STRAY_QUOTE;
          if (q < 0) return INCOMPLETE; // the closing quote has not arrived yet
          if (q + 1 >= len) return INCOMPLETE; // a doubled quote may follow
          if (s.charCodeAt(q + 1) === 34) {
            field += s.slice(from, q + 1);
            i = q + 2;
            from = i;
            continue;
          }
          field += s.slice(from, q);
          i = q + 1;
          break;
        }
      }
      // the unquoted part (or what follows a closing quote, kept as is)
      let j = i;
      while (j < len) {
        const c = s.charCodeAt(j);
        if (c === delimCode || c === 10) break;
        j++;
      }
      if (j >= len) return INCOMPLETE;
      let to = j;
      if (s.charCodeAt(j) === 10 && to > i && s.charCodeAt(to - 1) === 13) to--;
      field += s.slice(i, to);
      fields.push(field);
      field = '';
      if (s.charCodeAt(j) === 10) {
        const first = this.line + 1;
        this.line += lines + 1;
        this.record(fields, first);
        return j + 1;
      }
      i = j + 1;
    }
  }

  /** A record as an array of field texts (the quoted path). */
  private record(fields: string[], line: number): void {
    if (this.names === null) return this.header(fields);
    if (fields.length === 1 && fields[0].trim() === '') return;
    const at = this.line;
    this.line = line; // warnings name the record's first line
    try {
      if (fields.length !== this.ncol) this.bad(`${fields.length} fields, the header has ${this.ncol}`);
      for (let c = 0; c < this.ncol; c++) this.cell(c, fields[c], 0, fields[c].length);
      this.point();
    } catch (e) {
      this.skip(e);
    } finally {
      this.line = at;
    }
  }

  private header(cols: string[]): void {
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
        this.fail(`header: ${what} ${roles[i] === STRING ? 'appears twice' : 'clash'}`);
      }
      seen.set(k, i);
    });
    const shown = names.join(this.delim);
    if (!roles.includes(STEP)) this.fail(`header: no "step" column (the header is: ${shown.slice(0, 200)})`);
    if (!roles.includes(VALUE)) this.fail(`header: no "value" column (the header is: ${shown.slice(0, 200)})`);
    this.names = names;
    this.roles = roles;
    this.ncol = names.length;
    this.valueCol = roles.indexOf(VALUE);
    this.runCol = names.findIndex((n, i) => roles[i] === STRING && normaliseName(n) === 'run');
    this.metricCol = names.findIndex((n, i) => roles[i] === STRING && normaliseName(n) === 'metric');
    this.vals = names.map(() => '');
    this.changed = true;
  }

  private cell(c: number, s: string, a: number, b: number): void {
    const role = this.roles[c];
    if (role === STRING) {
      const prev = this.vals[c];
      if (prev.length !== b - a || !s.startsWith(prev, a)) {
        this.vals[c] = s.slice(a, b);
        this.changed = true;
      }
      return;
    }
    let v: number;
    if (a === b) {
      if (role === STEP) this.bad('the step is empty');
      v = NaN;
    } else {
      v = parseNumber(s, a, b);
      if (!numberOk) {
        const text = s.slice(a, b);
        const date = role === WALL && /^\s*\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
        if (date === date) v = date;
        else if (text.trim() === '' && role !== STEP) v = NaN;
        else this.bad(`${this.names![c]} ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)} is not a number`);
      } else if (role === WALL) v = wallToMs(v);
      // a point needs a place on the x axis (JSON Lines says the same)
      if (role === STEP && !(v - v === 0)) this.bad(`${this.names![c]} ${JSON.stringify(s.slice(a, b).trim())} is not a finite number`);
    }
    switch (role) {
      case STEP:
        this.step = v;
        break;
      case VALUE:
        this.value = v;
        break;
      case TIME_MS:
        this.time = v;
        break;
      case TIME_S:
        this.time = v * 1000;
        break;
      case WALL:
        this.wall = v;
        break;
      default:
        this.epoch = v;
    }
  }

  private point(): void {
    const v = this.value;
    if ((v > F32_MAX || v < -F32_MAX) && beyondFloat32(v)) this.notes.beyondFloat32(this.names![this.valueCol], `line ${this.line}`, v);
    if (this.changed) {
      this.changed = false;
      this.builder = this.lookup();
    }
    this.builder!.push(this.step, this.value, this.time, this.wall, this.epoch);
    this.time = this.wall = this.epoch = NaN;
  }

  private lookup(): SeriesBuilder {
    const id = this.vals.join('\u0001');
    let b = this.cache.get(id);
    if (b) return b;
    const names = this.names!;
    const fields: Record<string, string> = {};
    for (let c = 0; c < this.ncol; c++) {
      if (this.roles[c] !== STRING) continue;
      const name = c === this.runCol ? 'run' : c === this.metricCol ? 'metric' : names[c];
      setField(fields, name, own(this.vals[c]));
    }
    if (this.runCol < 0) fields.run = this.fileRun;
    if (this.metricCol < 0) fields.metric = this.fileMetric;
    b = this.table.series(fields.run, fields.metric, fields);
    this.cache.set(own(id), b);
    return b;
  }
}

export function createCsvParser(fileName: string, opts: CsvOptions = {}): TextParser {
  return new CsvParser(fileName, opts);
}

/** Parse a whole CSV text (tests, small files). */
export function parseCsv(fileName: string, text: string, opts: CsvOptions = {}): MetricTable {
  const p = createCsvParser(fileName, opts);
  p.push(text);
  p.end();
  return p.table;
}



