/**
 * Incremental CSV parser for metric logs in long format (`run,...,step,value`), one point per row.
 *
 * - RFC 4180: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF or LF.
 * - The header row is required and names the columns (see roles.ts for the numeric names): it must
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
import { csvHeader } from './csv-header';
import { endsInQuote, INCOMPLETE, QUOTED_LINES, quotedRecord, STRAY_QUOTE, type QuotedRecord } from './csv-quoted';
import { BadRow, CsvRows } from './csv-rows';
import { LoadError } from './rows';
import type { MetricTable } from './table';
import { LineParser, type TextOptions, type TextParser } from './text';

export interface CsvOptions extends TextOptions {
  /** field delimiter (default ','; '\t' for .tsv) */
  delimiter?: string;
}

class CsvParser extends LineParser {
  private readonly delim: string;
  /** lines consumed before the unread rest */
  private line = 0;
  private failed: LoadError | null = null;
  private bomChecked = false;
  /** the data rows' reader, once the header is read */
  private rows: CsvRows | null = null;
  private readonly rec: QuotedRecord = { fields: [], lines: 0 };

  constructor(
    private readonly file: string,
    opts: CsvOptions,
  ) {
    super(file, opts);
    this.delim = opts.delimiter ?? ',';
    if (this.delim.length !== 1 || this.delim === '"' || this.delim === '\n') throw new Error(`bad delimiter ${JSON.stringify(this.delim)}`);
  }

  /** The file cannot be read (its header). */
  private fail(detail: string): never {
    this.failed = new LoadError(this.file, detail);
    throw this.failed;
  }

  /** A row threw: a BadRow is a warning and the row is left out; anything else goes on up. */
  private skip(e: unknown): void {
    if (!(e instanceof BadRow)) throw e;
    this.notes.skipped(this.line, e.detail);
    this.rows!.forget();
  }

  push(chunk: string): void {
    if (this.failed) throw this.failed;
    if (!this.bomChecked && chunk.length > 0) {
      this.bomChecked = true;
      if (this.empty && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    super.push(chunk);
  }

  end(): void {
    if (this.failed) throw this.failed;
    let s = this.takeRest();
    while (s.trim().length > 0) {
      if (this.rows === null) {
        // a header alone, without a line break, is still a header (a file with no rows yet)
        if (this.consume(s + '\n') < s.length + 1) this.fail(`line ${this.line + 1}: the header ends inside a quoted field`);
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
      s = s.slice(this.consume(s));
    }
    if (this.rows === null) this.fail(this.line === 0 ? 'the file is empty' : 'no header row');
    this.notes.end();
  }

  /** Parse the complete records of s; returns where the unparsed rest starts. */
  protected consume(s: string): number {
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
        if (this.rows === null) {
          const line = s.slice(pos, end);
          plain = !line.includes('"');
          if (plain) {
            this.line++;
            this.header(line.split(this.delim));
          }
        } else {
          this.line++;
          try {
            plain = this.rows.row(s, pos, end, this.line);
          } catch (e) {
            this.skip(e);
          }
          if (!plain) this.line--;
        }
      } else this.line++;
      if (plain) pos = nl + 1;
      else {
        const next = quotedRecord(s, pos, this.delim.charCodeAt(0), this.rec);
        if (next === INCOMPLETE) break;
        if (next === STRAY_QUOTE) {
          this.line++;
          if (this.rows === null) this.fail(`line ${this.line}: the header has a quoted field that does not close within ${QUOTED_LINES} lines`);
          this.notes.skipped(this.line, `a quoted field opens on this line and does not close within ${QUOTED_LINES} lines`);
          pos = nl + 1;
        } else {
          const first = this.line + 1;
          this.line += this.rec.lines + 1;
          this.record(this.rec.fields, first);
          pos = next;
        }
      }
    }
    return pos;
  }

  /** A record read as field texts (the quoted path), starting at `line`. */
  private record(fields: string[], line: number): void {
    if (this.rows === null) return this.header(fields);
    if (fields.length === 1 && fields[0].trim() === '') return;
    const at = this.line;
    this.line = line; // warnings name the record's first line
    try {
      this.rows.fields(fields, line);
    } catch (e) {
      this.skip(e);
    } finally {
      this.line = at;
    }
  }

  private header(cols: string[]): void {
    const header = csvHeader(cols, this.delim, (detail) => this.fail(detail));
    this.rows = new CsvRows(header, this.delim, { table: this.table, notes: this.notes, fileRun: this.fileRun, fileMetric: this.fileMetric });
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
