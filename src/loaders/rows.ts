/**
 * The loaders' common output: points grouped into series (see table.ts for how they are held).
 *
 * A series is identified by its run, its metric and every other string field of its points
 * (`subset`, `record`, `seed`, ...): the key is `run \0 metric \0 name=value \0 ...` with the other
 * fields sorted by name, so the same series read from a CSV, a JSON Lines file or an event file
 * gets the same key and series of several files merge. Which columns are numbers: roles.ts.
 */

export type LoaderKind = 'csv' | 'jsonl' | 'tfevents';

/** One series as the loaders hand it out: columns of equal length. */
export interface LoadedSeries {
  /** run \0 metric \0 sorted `name=value` of the other fields */
  key: string;
  run: string;
  metric: string;
  /** every string field of the series, run and metric included */
  fields: Record<string, string>;
  step: Float64Array;
  value: Float32Array;
  /** relative time in ms (NaN where a point has none); null when no point has one */
  time: Float64Array | null;
  /** epoch ms (NaN where a point has none); null when no point has one */
  wall: Float64Array | null;
  /** epoch number; null when no point has one */
  epoch: Float64Array | null;
}

/** A message about a file: what went wrong, the file named first. */
export class LoadError extends Error {
  /** `file: detail` is the message; `detail` is what is wrong, without the file's name */
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'LoadError';
  }
}

/** The series key of (run, metric, other fields). `fields` may hold run and metric too. */
export function seriesKey(run: string, metric: string, fields: Record<string, string>): string {
  let key = run + '\u0000' + metric;
  const names = Object.keys(fields)
    .filter((n) => n !== 'run' && n !== 'metric')
    .sort();
  for (const n of names) key += '\u0000' + n + '=' + fields[n];
  return key;
}

/** A fresh copy of a string: substrings of a 4 MB chunk would otherwise keep the chunk alive. */
export function own(s: string): string {
  return s.length === 0 ? '' : (JSON.parse(JSON.stringify(s)) as string);
}
