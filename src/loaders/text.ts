/**
 * What the two text loaders (CSV, JSON Lines) share: the parser interface, the run and metric a
 * file's name implies, and the carrying of a half-received last line from one push to the next
 * (a live tail is read while it is being written, so a chunk may end anywhere).
 */
import { FileNotes } from './notes';
import { MetricTable } from './table';

export interface TextParser {
  /** Parse a piece of the text; a bad line is a warning, a bad file throws a LoadError (file, what). */
  push(chunk: string): void;
  /** The text is complete. */
  end(): void;
  readonly table: MetricTable;
  /** Problems that did not stop the file (skipped lines, an incomplete last line), each `file: line N: ...` */
  readonly warnings: string[];
}

/** Options both text loaders take. */
export interface TextOptions {
  /** the table to add to (default: a new one) */
  table?: MetricTable;
  /** run name for rows that name none (default: from the file name) */
  run?: string;
}

/** Run and metric implied by a file name: `run-NAME-tag-TAG.csv` (TensorBoard export) or the stem. */
export function namesFromFile(fileName: string): { run: string; metric: string | null } {
  const base = fileName.replace(/^.*[\\/]/, '');
  const stem = base.replace(/(\.(csv|tsv|txt|jsonl|ndjson|json))?(\.gz)?$/i, '');
  const tb = /^run[-_](.*)-tag-(.+)$/.exec(stem);
  if (tb) return { run: tb[1] || stem, metric: tb[2] };
  return { run: stem || base, metric: null };
}

/**
 * A text parser that reads complete records and keeps the rest for the next push. Subclasses
 * say how far a text's complete records go (`consume`) and what the end of the file means.
 */
export abstract class LineParser implements TextParser {
  readonly table: MetricTable;
  readonly warnings: string[];
  protected readonly notes: FileNotes;
  /** the run of rows without one, and the metric of rows (long format) without one */
  protected readonly fileRun: string;
  protected readonly fileMetric: string;
  /** text after the last complete record */
  private rest = '';

  constructor(file: string, opts: TextOptions) {
    this.table = opts.table ?? new MetricTable();
    this.notes = new FileNotes(file);
    this.warnings = this.notes.list;
    const names = namesFromFile(file);
    this.fileRun = opts.run ?? names.run;
    this.fileMetric = names.metric ?? 'value';
  }

  /** Read the complete records at the start of `s`; returns where the unread rest starts. */
  protected abstract consume(s: string): number;

  abstract end(): void;

  push(chunk: string): void {
    const s = this.rest.length > 0 ? this.rest + chunk : chunk;
    this.rest = s.slice(this.consume(s));
  }

  /** Nothing received yet that is still waiting for its line break. */
  protected get empty(): boolean {
    return this.rest.length === 0;
  }

  /** The unread rest at the end of the file (handed over once: the parser holds none after). */
  protected takeRest(): string {
    const s = this.rest;
    this.rest = '';
    return s;
  }
}
