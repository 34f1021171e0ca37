/**
 * One parser interface over the three formats, fed bytes or text, and the incremental parser
 * for live tails (pure: usable on the main thread, in a worker, in Node).
 */
import { createCsvParser } from './csv';
import { loaderFor, type Detected } from './detect';
import { createJsonlParser } from './jsonl';
import type { LoadedSeries, LoaderKind } from './rows';
import { MetricTable } from './table';
import type { TextParser } from './text';
import { createTfeventsParser, type ByteParser } from './tfevents';
import { createUtf8Decoder } from './utf8';

export interface FileParserOptions {
  table?: MetricTable;
  /** run name: for event files the run instead of the folder's name; for CSV / JSON Lines the run of rows without one */
  run?: string;
}

/** A parser of one file's bytes (or text, for CSV and JSON Lines). */
export interface FileParser {
  readonly kind: LoaderKind;
  readonly table: MetricTable;
  readonly warnings: string[];
  push(chunk: Uint8Array | string): void;
  end(): void;
}

/**
 * A parser for `name` (a path: event files take their run from its folder). Text formats decode
 * bytes as UTF-8 across chunk boundaries; bytes that are not UTF-8 are read as U+FFFD with one
 * warning naming the file. A bad line is a warning and is skipped (see csv.ts, jsonl.ts); only
 * a problem with the whole file throws (a LoadError).
 */
export function createFileParser(name: string, detected: Detected, opts: FileParserOptions = {}): FileParser {
  const table = opts.table ?? new MetricTable();
  if (detected.kind === 'tfevents') {
    const p: ByteParser = createTfeventsParser(name, { table, run: opts.run });
    return {
      kind: 'tfevents',
      table,
      warnings: p.warnings,
      push(chunk) {
        if (typeof chunk === 'string') throw new TypeError('event files are binary: push bytes, not text');
        p.push(chunk);
      },
      end: () => p.end(),
    };
  }
  const p: TextParser =
    detected.kind === 'csv' ? createCsvParser(name, { table, run: opts.run, delimiter: detected.delimiter }) : createJsonlParser(name, { table, run: opts.run });
  const decoder = createUtf8Decoder(() =>
    p.warnings.push(`${name}: the text is not valid UTF-8 (another encoding, such as Latin-1 or UTF-16?); the bytes that are not were read as \uFFFD`),
  );
  return {
    kind: detected.kind,
    table,
    warnings: p.warnings,
    push(chunk) {
      p.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk));
    },
    end() {
      const tail = decoder.end();
      if (tail) p.push(tail);
      p.end();
    },
  };
}

export interface IncrementalParser {
  /** the format, once known (after the first push when not given) */
  readonly kind: LoaderKind | null;
  readonly warnings: string[];
  /** Parse more of the file; returns the points it completed, per series (only the new ones). */
  push(chunk: string | Uint8Array): LoadedSeries[];
  /** The file is complete: reads a last line without a line break; returns its points. */
  end(): LoadedSeries[];
  /** Every point so far (all series, from the start). */
  all(): LoadedSeries[];
}

/**
 * For live tails: feed a growing file piece by piece (what was appended since the last read); a
 * half-written last line or record waits for the rest. Without `kind` the format is detected
 * from the name and the first piece. A bad line (or event record) is a warning in `warnings`
 * (`file: line N: ... (line skipped)`) and the lines after it are read, exactly as when the
 * whole file is loaded. Only a problem with the whole file (an unknown format, a bad CSV header,
 * broken TFRecord framing) throws, a LoadError naming the file; after one, every push throws it
 * again.
 */
export function createIncrementalParser(fileName: string, kind?: LoaderKind, opts: FileParserOptions = {}): IncrementalParser {
  let parser: FileParser | null = null;
  const warnings: string[] = [];
  const start = (chunk: string | Uint8Array): FileParser => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk.slice(0, 65536)) : chunk;
    const det: Detected = kind === undefined ? loaderFor(fileName, bytes) : kind === 'csv' ? { kind, delimiter: /\.tsv$/i.test(fileName) ? '\t' : ',' } : { kind };
    const p = createFileParser(fileName, det, opts);
    return p;
  };
  const sync = () => {
    if (parser) for (const w of parser.warnings.splice(0)) warnings.push(w);
  };
  return {
    get kind() {
      return parser?.kind ?? kind ?? null;
    },
    warnings,
    push(chunk) {
      if (!parser) {
        if (chunk.length === 0) return [];
        parser = start(chunk);
      }
      parser.push(chunk);
      sync();
      return parser.table.drain();
    },
    end() {
      if (!parser) return [];
      parser.end();
      sync();
      return parser.table.drain();
    },
    all() {
      return parser ? parser.table.builders().filter((b) => b.n > 0).map((b) => b.columns()) : [];
    },
  };
}
