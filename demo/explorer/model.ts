import type { LoadedSeries } from '../../src/loaders/rows';
import type { Source as PointSource, SourceSeries } from '../../src/source/client';

/**
 * The explorer's data: one entry per series (a run's metric in one context, e.g. train loss of
 * run X), with the run's fields for filtering and grouping, and its columns. Loaded files and live
 * tails add series or extend them; listeners hear about both.
 */

/**
 * One series: a run's metric in one context (e.g. train loss of run X), with the run's string
 * fields for filtering and grouping, and its columns: exactly what the loaders hand out, plus the
 * explorer's own fields (`source`, and the derived `steps` and `points`).
 */
export type SeriesData = LoadedSeries & {
  /**
   * A series whose points stay on a metricgl server (`npm run demo -- --db FILE`): its columns
   * here are empty, the chart draws `{ id: key, source }` and the worker asks the server for each
   * view. `points` and `xColumns` are the server's.
   */
  remote?: { source: PointSource; points: number; xColumns: readonly string[] };
};

/** Where series come from: the shipped logs, files picked or dropped, the live folder, or a server. */
export type Source = 'demo' | 'file' | 'live' | 'server';

/**
 * Fields the explorer computes (not read from files): numbers, for filters (`steps >= 1000`), not
 * for grouping (every run would be a group of its own).
 */
export const DERIVED_FIELDS = ['steps', 'points'] as const;

export type Change =
  | { kind: 'added'; series: SeriesData[] }
  | { kind: 'extended'; key: string; from: number }
  | { kind: 'removed'; keys: string[] }
  /** series whose points were replaced (a file's contribution dropped): draw them again */
  | { kind: 'replaced'; keys: string[] }
  /** server series that got points (their counts and extents here are new): draw them again */
  | { kind: 'grew'; keys: string[] };

/** Points [from, to) of a series that one origin (a live file) gave, in arrival order. */
interface Segment {
  origin: string;
  from: number;
  to: number;
}

export class Dataset {
  readonly series = new Map<string, SeriesData>();
  private listeners = new Set<(c: Change) => void>();
  /**
   * Which points of a series each file gave, for series fed by origins (live files): a file that
   * is truncated or rewritten takes back its own points, not those other files gave the run.
   */
  private segments = new Map<string, Segment[]>();

  on(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Add series; a key already present is extended by the new points (a live tail). `source` goes
   * into the key, so a live run never merges into a shipped one of the same name; `origin` (a
   * live file's path) records which points that file gave.
   */
  add(list: readonly SeriesData[], source: Source, origin?: string): void {
    const added: SeriesData[] = [];
    for (const s of list) {
      const key = `${s.key}\u0000source=${source}`;
      const old = this.series.get(key);
      if (!old) {
        const entry: SeriesData = { ...s, key, fields: { ...s.fields, run: s.run, metric: s.metric, source } };
        derive(entry);
        this.series.set(key, entry);
        if (origin !== undefined) this.segments.set(key, [{ origin, from: 0, to: s.step.length }]);
        added.push(entry);
        continue;
      }
      const from = old.step.length;
      old.step = cat64(old.step, s.step);
      old.value = cat32(old.value, s.value);
      old.time = old.time && s.time ? cat64(old.time, s.time) : null;
      old.wall = old.wall && s.wall ? cat64(old.wall, s.wall) : null;
      old.epoch = old.epoch && s.epoch ? cat64(old.epoch, s.epoch) : null;
      derive(old);
      if (origin !== undefined) {
        const segs = this.segments.get(key) ?? [];
        const last = segs[segs.length - 1];
        if (last?.origin === origin && last.to === from) last.to = old.step.length;
        else segs.push({ origin, from, to: old.step.length });
        this.segments.set(key, segs);
      }
      this.emit({ kind: 'extended', key, from });
    }
    if (added.length) this.emit({ kind: 'added', series: added });
  }

  /** Drop series (a live folder reconnecting sends its files again from the start). */
  remove(keys: Iterable<string>): void {
    const gone = [...keys].filter((k) => this.series.delete(k));
    for (const k of gone) this.segments.delete(k);
    if (gone.length) this.emit({ kind: 'removed', keys: gone });
  }

  /**
   * Take back every point `origin` gave (its file was truncated or rewritten): a series left with
   * none goes, one that other files also fed keeps their points.
   */
  removeOrigin(origin: string): void {
    const gone: string[] = [];
    const replaced: string[] = [];
    for (const [key, segs] of this.segments) {
      if (!segs.some((g) => g.origin === origin)) continue;
      const keep = segs.filter((g) => g.origin !== origin);
      const s = this.series.get(key)!;
      if (!keep.length) {
        this.series.delete(key);
        this.segments.delete(key);
        gone.push(key);
        continue;
      }
      const pick = <T extends Float64Array | Float32Array>(a: T): T => {
        const out = new (a.constructor as new (n: number) => T)(keep.reduce((n, g) => n + g.to - g.from, 0));
        let at = 0;
        for (const g of keep) {
          out.set(a.subarray(g.from, g.to), at);
          at += g.to - g.from;
        }
        return out;
      };
      s.step = pick(s.step);
      s.value = pick(s.value);
      s.time = s.time && pick(s.time);
      s.wall = s.wall && pick(s.wall);
      s.epoch = s.epoch && pick(s.epoch);
      let at = 0;
      this.segments.set(key, keep.map((g) => ({ origin: g.origin, from: at, to: (at += g.to - g.from) })));
      derive(s);
      replaced.push(key);
    }
    if (gone.length) this.emit({ kind: 'removed', keys: gone });
    if (replaced.length) this.emit({ kind: 'replaced', keys: replaced });
  }

  /**
   * The series list of a server, whole: new keys are added, keys it no longer lists go, and
   * listed ones whose point count changed are 'grew'. The fields are the server's (run, metric
   * and the logs' string fields: what a `where` sent to it can test), nothing derived here.
   */
  setRemote(list: readonly SourceSeries[], source: PointSource): void {
    const seen = new Set<string>();
    const added: SeriesData[] = [];
    const grew: string[] = [];
    for (const s of list) {
      seen.add(s.id);
      const old = this.series.get(s.id);
      if (old?.remote) {
        if (old.remote.points !== s.points) grew.push(s.id);
        old.remote = { source, points: s.points, xColumns: [...s.xColumns] };
        continue;
      }
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.fields)) fields[k] = String(v);
      const entry: SeriesData = {
        key: s.id, run: s.run, metric: s.metric, fields: { ...fields, run: s.run, metric: s.metric },
        step: new Float64Array(0), value: new Float32Array(0), time: null, wall: null, epoch: null,
        remote: { source, points: s.points, xColumns: [...s.xColumns] },
      } as SeriesData;
      this.series.set(s.id, entry);
      added.push(entry);
    }
    const gone = [...this.series.values()].filter((d) => d.remote && !seen.has(d.key)).map((d) => d.key);
    for (const k of gone) this.series.delete(k);
    if (gone.length) this.emit({ kind: 'removed', keys: gone });
    if (added.length) this.emit({ kind: 'added', series: added });
    if (grew.length && !added.length && !gone.length) this.emit({ kind: 'grew', keys: grew });
  }

  /** The origins (live files) that gave points. */
  origins(): string[] {
    return [...new Set([...this.segments.values()].flatMap((segs) => segs.map((g) => g.origin)))];
  }

  /** The x columns some series have besides the step. */
  xColumns(): ('time' | 'wall' | 'epoch')[] {
    const all = [...this.series.values()];
    return (['time', 'wall', 'epoch'] as const).filter((c) => all.some((s) => (s.remote ? s.remote.xColumns.includes(c) : s[c])));
  }

  metrics(): string[] {
    return [...new Set([...this.series.values()].map((s) => s.metric))].sort();
  }

  /** Field names usable for filtering (string fields of any series, and the derived ones). */
  fieldNames(): string[] {
    const names = new Set<string>();
    for (const s of this.series.values()) for (const k of Object.keys(s.fields)) names.add(k);
    return [...names].sort();
  }

  /** Field names to group by: the fields read from files and the source, not the derived numbers. */
  groupFields(): string[] {
    return this.fieldNames().filter((f) => !(DERIVED_FIELDS as readonly string[]).includes(f));
  }

  get points(): number {
    let n = 0;
    for (const s of this.series.values()) n += pointsOf(s);
    return n;
  }

  private emit(c: Change): void {
    for (const fn of this.listeners) fn(c);
  }
}

/** A series' number of points: its columns', or the server's count for a server series. */
export function pointsOf(s: SeriesData): number {
  return s.remote ? s.remote.points : s.step.length;
}

/** `steps`: the highest step the series reached (how far the run trained); `points`: its length. */
function derive(s: SeriesData): void {
  let max = -Infinity;
  for (let i = 0; i < s.step.length; i++) if (s.step[i] > max) max = s.step[i];
  s.fields.steps = s.step.length ? String(max) : '0';
  s.fields.points = String(s.step.length);
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

/** A short label for a run: the record's last path part, the run id's first characters, its subset. */
export function labelOf(s: SeriesData): string {
  const record = s.fields.record ? s.fields.record.split('/').pop() + ' ' : '';
  const subset = s.fields.subset ? ` ${s.fields.subset}` : '';
  // a live run of the same name as a shipped one must read differently in the legend
  const live = s.fields.source === 'live' ? ' (live)' : '';
  return `${record}${s.run.length > 12 ? s.run.slice(0, 8) : s.run}${subset}${live}`;
}
