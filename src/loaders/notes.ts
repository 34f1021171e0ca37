/**
 * The warnings of one file being parsed: lines that were skipped (a bad line must not stop the
 * rest of a log from loading, live or after a reload) and values a float32 cannot hold. Every
 * message names the file first, then the line: `loss.csv: line 17: value "abc" is not a number
 * (line skipped)`.
 *
 * A log with a bad line on every row would otherwise make a million warnings: the first
 * `LISTED` skipped lines are listed one by one, later ones are only counted and `end` says how
 * many there were in all.
 */

/** The largest finite float32. Values stored as float32 beyond it (after rounding) become ±Infinity. */
export const F32_MAX = 3.4028234663852886e38;

/** Skipped lines listed one by one before they are only counted. */
export const LISTED = 20;

/** True for a finite number that becomes ±Infinity when stored as a float32. */
export function beyondFloat32(v: number): boolean {
  return (v > F32_MAX || v < -F32_MAX) && v !== Infinity && v !== -Infinity && !Number.isFinite(Math.fround(v));
}

export class FileNotes {
  /** the messages, in order (a parser's `warnings`; the incremental parser drains it) */
  readonly list: string[] = [];
  private skippedLines = 0;
  private unit = 'line';
  /** per column: how many values were beyond float32 range, and whether one was negative */
  private readonly beyond = new Map<string, { n: number; neg: boolean }>();

  constructor(readonly file: string) {}

  /** A warning about the file as a whole (or a line, with the line in `detail`). */
  add(detail: string): void {
    this.list.push(`${this.file}: ${detail}`);
  }

  /** Line `line` was not read because of `why` (its points are left out, the lines after it are read). */
  skipped(line: number, why: string): void {
    this.skip(`line ${line}`, 'line', why);
  }

  /** The same for one TFRecord of an event file, at byte offset `at`. */
  skippedRecord(at: number, why: string): void {
    this.skip(`record at byte ${at}`, 'record', why);
  }

  private skip(where: string, unit: string, why: string): void {
    this.skippedLines++;
    if (this.skippedLines <= LISTED) this.add(`${where}: ${why} (${unit} skipped)`);
    if (this.skippedLines === LISTED) this.add(`more bad ${unit}s after ${where} are skipped without a message each (the count comes at the end of the file)`);
    this.unit = unit;
  }

  /** A finite value beyond float32 range in `column` at `where` (`line 5`; it is stored as ±Infinity). */
  beyondFloat32(column: string, where: string, v: number): void {
    let c = this.beyond.get(column);
    if (!c) this.beyond.set(column, (c = { n: 0, neg: false }));
    c.n++;
    c.neg ||= v < 0;
    // the first one right away: a live file is never ended, and its reader should know now
    if (c.n === 1) this.add(`${where}: ${column} ${v} is beyond float32 range, read as ${v > 0 ? 'Infinity' : '-Infinity'}`);
  }

  /** The file is complete: the counts. */
  end(): void {
    if (this.skippedLines > LISTED) this.add(`${this.skippedLines} bad ${this.unit}s were skipped in all`);
    for (const [column, c] of this.beyond) {
      if (c.n > 1) this.add(`${c.n} values beyond float32 range in column ${column}, read as ${c.neg ? '±Infinity' : 'Infinity'}`);
    }
  }
}

/** Sets `obj[key]` as an own property even for `__proto__` (a log's column may be named anything). */
export function setField(obj: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
