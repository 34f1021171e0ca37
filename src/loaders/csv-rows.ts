/**
 * CSV data rows into points: each cell read by its column's role (csv-header.ts), the string
 * cells naming the series. A cell that cannot be read throws a BadRow: the row is skipped.
 */
import type { SeriesBuilder } from './builder';
import { F32_MAX, beyondFloat32, setField, type FileNotes } from './notes';
import { numberOk, parseNumber } from './numbers';
import { wallToMs } from './roles';
import { own } from './rows';
import type { MetricTable } from './table';

// Column roles as small ints: a switch on them stays monomorphic. They are declared here, beside
// the switch that reads them for every cell, and not imported: some module loaders (vitest's)
// turn an imported constant into a property read, which cost a third of the CSV parse time.
export const STRING = 0;
export const STEP = 1;
export const VALUE = 2;
export const TIME_MS = 3;
export const TIME_S = 4;
export const WALL = 5;
export const EPOCH = 6;

/** A file's columns, from its header row (csv-header.ts). */
export interface CsvHeader {
  /** column names as written (trimmed) */
  names: string[];
  /** per column: STRING, STEP, VALUE, ... */
  roles: number[];
  valueCol: number;
  /** the string columns that name the run and the metric, -1 when there is none */
  runCol: number;
  metricCol: number;
}

/** A row that cannot be read: skipped with a warning (thrown out of the cell being read). */
export class BadRow {
  constructor(readonly detail: string) {}
}

/** Where the points of a file's rows go (the file's names for rows that name no run or metric). */
export interface RowTarget {
  table: MetricTable;
  notes: FileNotes;
  fileRun: string;
  fileMetric: string;
}

export class CsvRows {
  private readonly names: string[];
  private readonly roles: number[];
  private readonly ncol: number;
  /** the line being read, for the notes */
  private line = 0;
  private readonly vals: string[];
  /** a string cell differs from the row before: look the series up again */
  private changed = true;
  private builder: SeriesBuilder | null = null;
  private readonly cache = new Map<string, SeriesBuilder>();
  private step = NaN;
  private value = NaN;
  private time = NaN;
  private wall = NaN;
  private epoch = NaN;

  constructor(
    private readonly header: CsvHeader,
    private readonly delim: string,
    private readonly target: RowTarget,
  ) {
    this.names = header.names;
    this.roles = header.roles;
    this.ncol = header.names.length;
    this.vals = header.names.map(() => '');
  }

  private bad(detail: string): never {
    throw new BadRow(detail);
  }

  /** One data row s[a, b) at `line`, read in place; false (nothing added) when a field starts with a quote. */
  row(s: string, a: number, b: number, line: number): boolean {
    this.line = line;
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

  /** A record as field texts (the quoted path), starting at `line`. */
  fields(fields: string[], line: number): void {
    this.line = line;
    if (fields.length !== this.ncol) this.bad(`${fields.length} fields, the header has ${this.ncol}`);
    for (let c = 0; c < this.ncol; c++) this.cell(c, fields[c], 0, fields[c].length);
    this.point();
  }

  /** A row was skipped: what its cells set must not reach the next point. */
  forget(): void {
    this.time = this.wall = this.epoch = NaN;
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
        else this.bad(`${this.names[c]} ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)} is not a number`);
      } else if (role === WALL) v = wallToMs(v);
      // a point needs a place on the x axis (JSON Lines says the same)
      if (role === STEP && !(v - v === 0)) this.bad(`${this.names[c]} ${JSON.stringify(s.slice(a, b).trim())} is not a finite number`);
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
    if ((v > F32_MAX || v < -F32_MAX) && beyondFloat32(v)) this.target.notes.beyondFloat32(this.names[this.header.valueCol], `line ${this.line}`, v);
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
    const { runCol, metricCol } = this.header;
    const fields: Record<string, string> = {};
    for (let c = 0; c < this.ncol; c++) {
      if (this.roles[c] !== STRING) continue;
      const name = c === runCol ? 'run' : c === metricCol ? 'metric' : this.names[c];
      setField(fields, name, own(this.vals[c]));
    }
    if (runCol < 0) fields.run = this.target.fileRun;
    if (metricCol < 0) fields.metric = this.target.fileMetric;
    b = this.target.table.series(fields.run, fields.metric, fields);
    this.cache.set(own(id), b);
    return b;
  }
}
