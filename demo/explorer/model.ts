import type { LoadedSeries } from '../../src/loaders/rows';

/**
 * The explorer's data: one entry per series (a run's metric in one context, e.g. train loss of
 * run X), with the run's fields for filtering and grouping, and its columns. Loaded files and live
 * tails add series or extend them; listeners hear about both.
 */

/**
 * One series: a run's metric in one context (e.g. train loss of run X), with the run's string
 * fields for filtering and grouping, and its columns: exactly what the loaders hand out.
 */
export type SeriesData = LoadedSeries;

export type Change =
  | { kind: 'added'; series: SeriesData[] }
  | { kind: 'extended'; key: string; from: number }
  | { kind: 'removed'; keys: string[] };

export class Dataset {
  readonly series = new Map<string, SeriesData>();
  private listeners = new Set<(c: Change) => void>();

  on(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Add series; a key already present is extended by the new points (a live tail). */
  add(list: readonly SeriesData[]): void {
    const added: SeriesData[] = [];
    for (const s of list) {
      const old = this.series.get(s.key);
      if (!old) {
        const entry = { ...s, fields: { ...s.fields, run: s.run, metric: s.metric } };
        this.series.set(s.key, entry);
        added.push(entry);
        continue;
      }
      const from = old.step.length;
      old.step = cat64(old.step, s.step);
      old.value = cat32(old.value, s.value);
      old.time = old.time && s.time ? cat64(old.time, s.time) : null;
      old.wall = old.wall && s.wall ? cat64(old.wall, s.wall) : null;
      old.epoch = old.epoch && s.epoch ? cat64(old.epoch, s.epoch) : null;
      this.emit({ kind: 'extended', key: s.key, from });
    }
    if (added.length) this.emit({ kind: 'added', series: added });
  }

  /** Drop series (a live folder reconnecting sends its files again from the start). */
  remove(keys: Iterable<string>): void {
    const gone = [...keys].filter((k) => this.series.delete(k));
    if (gone.length) this.emit({ kind: 'removed', keys: gone });
  }

  /** The x columns some series have besides the step. */
  xColumns(): ('time' | 'wall' | 'epoch')[] {
    const all = [...this.series.values()];
    return (['time', 'wall', 'epoch'] as const).filter((c) => all.some((s) => s[c]));
  }

  metrics(): string[] {
    return [...new Set([...this.series.values()].map((s) => s.metric))].sort();
  }

  /** Field names usable for grouping and filtering (string fields of any series). */
  fieldNames(): string[] {
    const names = new Set<string>();
    for (const s of this.series.values()) for (const k of Object.keys(s.fields)) names.add(k);
    return [...names].sort();
  }

  get points(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.step.length;
    return n;
  }

  private emit(c: Change): void {
    for (const fn of this.listeners) fn(c);
  }
}

function cat64(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function cat32(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A short label for a run: the record's last path part and the run id's first characters. */
export function labelOf(s: SeriesData): string {
  const record = s.fields.record ? s.fields.record.split('/').pop() + ' ' : '';
  const subset = s.fields.subset ? ` ${s.fields.subset}` : '';
  return `${record}${s.run.length > 12 ? s.run.slice(0, 8) : s.run}${subset}`;
}
