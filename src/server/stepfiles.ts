/**
 * The step column of each long series as two flat files beside the DuckDB store (`<db>.steps/`):
 * `<id>.x` its steps (float64) and `<id>.y` its values (float32), in the store's order (x, then
 * logged order), `<id>.xi` every 256th of its steps (the index a view searches first), and
 * `<id>.json` what they hold. A view on the step column then reads, per series,
 * the points in view with two reads at offsets and computes M4 over them in this process
 * (source/m4sorted.ts): no scan of the table, whose row groups each hold whole series (so a zoom
 * at 1,000 runs read every point of the file's row groups in view: README, "What it still costs").
 *
 * The files are derived data, never the record: a series is answered from them only while their
 * state (points, and the series' next ordinal, which every ingest that touches the series moves)
 * equals the store's; otherwise by SQL, until `refresh` brings them up to date after the commit,
 * appending what a run logged at its end (a live run), or writing the series again (anything
 * else). A file half-written when the process died has no `.json` (it is removed first, written
 * last), so it is written again. Only series with level-of-detail blocks have files (every x
 * finite, at least lodbuild.ts MIN_POINTS points): shorter ones cost little either way.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BIGINT, INTEGER, type DuckDBConnection } from '@duckdb/node-api';
import { checkView, type M4Result, type M4View } from '../source/m4';
import { mergeM4, withoutSeries } from '../source/m4merge';
import { SortedM4 } from '../source/m4sorted';
import { PointColumns } from '../smooth/stream';
import { lowerBound, lowerBoundAbove } from '../store/search';
import { readStepFile, stepPath, WindowReader, type StepFileKind, type StepWindow } from './stepread';
import type { StepThread } from './stepthread';
import { openStore } from './schema';
import type { PointChunk } from './pointchunk';
import { duckdbChunks, type PointChunks } from './smoothview';

/** What the store says a series' files must hold. */
export interface StepState {
  n: number;
  nextOrd: number;
}

interface Held extends StepState {
  /** the last x, and how many points at the end have it (a tail read from it sees them again) */
  lastX: number;
  tie: number;
  /** x at every STRIDE-th point: a view's two binary searches in memory, then one read */
  index: Float64Array | null;
}

const STRIDE = 256;
/** a view over many series gives the event loop a turn this often (ms) */
const YIELD_MS = 40;

/** Where a store's step files live: a folder beside it. */
export const stepFilesDir = (db: string): string => `${db}.steps`;

/** The state of every series with blocks (or of series `only`), as the store has it now. */
export async function stepStates(db: DuckDBConnection, only?: number): Promise<Map<number, StepState>> {
  const sql = 'SELECT l.series, s.points, s.next_ord FROM lod_series l JOIN series s ON s.id = l.series';
  const r = only === undefined ? await db.runAndReadAll(sql) : await db.runAndReadAll(`${sql} WHERE l.series = $id`, { id: only }, { id: INTEGER });
  return new Map(r.getRows().map(([id, n, o]) => [Number(id), { n: Number(n), nextOrd: Number(o) }]));
}

export class StepFiles {
  private readonly held = new Map<number, Held>();
  private readonly reader: WindowReader;
  /** a second thread for views over many points (the server's; null: this one alone) */
  thread: StepThread | null = null;
  readonly counters = { written: 0, appended: 0, pointsWritten: 0, shared: 0 };

  private constructor(readonly dir: string) {
    this.reader = new WindowReader(dir);
  }

  /** The files under `dir` (created if missing); any without a complete record is removed. */
  static open(dir: string): StepFiles {
    mkdirSync(dir, { recursive: true });
    const f = new StepFiles(dir);
    const metas = new Set<number>();
    for (const name of readdirSync(dir)) {
      const m = /^(\d+)\.json$/.exec(name);
      if (!m) continue;
      const id = Number(m[1]);
      try {
        const h = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Held;
        if (statSync(f.path(id, 'x')).size === h.n * 8 && statSync(f.path(id, 'y')).size === h.n * 4) {
          // the stride index as written with them (else built from the x file at the first view)
          const xi = f.path(id, 'xi');
          const entries = Math.ceil(h.n / STRIDE);
          const index = existsSync(xi) && statSync(xi).size === entries * 8 ? new Float64Array(entries) : null;
          if (index) readStepFile(dir, id, 'xi', index, 0);
          f.held.set(id, { n: h.n, nextOrd: h.nextOrd, lastX: h.lastX, tie: h.tie, index });
          metas.add(id);
        }
      } catch {
        // unreadable or sizes that disagree: written again by the next refresh
      }
    }
    for (const name of readdirSync(dir)) {
      const m = /^(\d+)\.(x|y|xi|json)(\.tmp)?$/.exec(name);
      if (m && (m[3] || !metas.has(Number(m[1])))) unlinkSync(join(dir, name));
    }
    return f;
  }

  private path(id: number, kind: StepFileKind): string {
    return stepPath(this.dir, id, kind);
  }

  /** how many series the files hold */
  heldCount(): number {
    return this.held.size;
  }

  /** The files of `id` hold what the store holds now. */
  answers(id: number, state: StepState | undefined): boolean {
    const h = this.held.get(id);
    return !!h && !!state && h.n === state.n && h.nextOrd === state.nextOrd;
  }

  /**
   * M4 of the view (step column) for `ids` (ascending) from their files, and the ids it could not
   * answer after all (their files rewritten or dropped by a refresh while the view ran). Each
   * series is read and reduced in one synchronous step, so it is one state of the store; the view
   * yields to the event loop every YIELD_MS between series, so that one over a thousand runs does
   * not hold up every other request. With a step thread and enough points in view, the first
   * half of the points (whole series) is reduced there meanwhile, and a series whose files
   * changed before that half came back is left out of it.
   */
  async m4(view: M4View, ids: readonly number[], stillValid: (id: number) => boolean): Promise<{ result: M4Result; missed: number[] }> {
    const read = ids.filter((id) => this.held.has(id)), missed = ids.filter((id) => !this.held.has(id));
    // each series' window with the record it was cut from: a refresh replaces the record, and a
    // series whose record is not the same when it is read (here) or answered (the thread) goes to SQL
    const asked = read.map((id) => this.held.get(id)!);
    const windows = read.map((id, i) => this.window(view, id, asked[i]));
    const current = (i: number) => this.held.get(read[i]) === asked[i] && stillValid(read[i]);
    const total = windows.reduce((n, w) => n + w.r1 - w.r0, 0);
    let split = 0;
    if (this.thread?.usable && total >= this.thread.minPoints) {
      for (let n = 0; split < windows.length - 1 && n < total / 2; split++) n += windows[split].r1 - windows[split].r0;
    }
    const there = split > 0 ? this.thread!.reduce(this.dir, view, windows.slice(0, split)) : null;
    if (there) this.counters.shared++;
    const out = new SortedM4(view, read.slice(split));
    let lap = performance.now();
    for (let i = split; i < read.length; i++) {
      if (performance.now() - lap > YIELD_MS) {
        await new Promise((r) => setImmediate(r));
        lap = performance.now();
      }
      if (current(i)) this.reader.add(out, view, windows[i]);
      else {
        out.add(new Float64Array(0), new Float32Array(0), 0, 0);
        missed.push(read[i]);
      }
    }
    const parts = [out.done()];
    if (there) {
      // a file that changed under the thread may have failed its read: those series by SQL too
      const got = await there.catch(() => null);
      if (got) parts.unshift(got);
      for (let i = 0; i < split; i++) if (!got || !current(i)) missed.push(read[i]);
    }
    const result = parts.length > 1 ? mergeM4(parts) : parts[0];
    return { result: missed.length ? withoutSeries(result, new Set(missed)) : result, missed: missed.sort((p, q) => p - q) };
  }

  /**
   * Every point of a held series as one chunk (read at once, so it is one state of the store),
   * or null when the files do not hold it.
   */
  whole(id: number): PointChunk | null {
    const h = this.held.get(id);
    if (!h) return null;
    const v = new Float64Array(h.n), y = new Float32Array(h.n);
    readStepFile(this.dir, id, 'x', v, 0);
    readStepFile(this.dir, id, 'y', y, 0);
    return { rows: h.n, sid: new Int32Array(h.n).fill(id), v, y };
  }

  /** The points of a held series a view reads: those in view and their two neighbours. */
  private window(view: M4View, id: number, h: Held): StepWindow {
    const index = (h.index ??= this.buildIndex(id, h.n));
    // points before x0 end within one stride of the first index entry >= x0; the first point
    // past x1 within one stride of the first entry > x1: read from one stride before the one,
    // to the other's entry (and one past it: the neighbour on the right)
    const j = lowerBound(index, 0, index.length, view.x0), k = lowerBoundAbove(index, index.length, view.x1, j);
    return { id, r0: Math.max(0, (j - 1) * STRIDE), r1: Math.min(h.n, k * STRIDE + 1) };
  }

  private buildIndex(id: number, n: number): Float64Array {
    const x = new Float64Array(n);
    readStepFile(this.dir, id, 'x', x, 0);
    return strided(x, 0, n);
  }

  /**
   * Bring the files of every series in the store's state up to date, one series at a time (each
   * read in a transaction of its own, so what is written is one state of the store), and remove
   * the files of series that have none. Views meanwhile answer the series not yet done by SQL.
   */
  async refresh(db: DuckDBConnection): Promise<void> {
    const states = await stepStates(db);
    for (const id of [...this.held.keys()]) if (!states.has(id)) this.drop(id);
    for (const id of [...states.keys()].sort((a, b) => a - b)) {
      if (this.answers(id, states.get(id))) continue;
      await db.run('BEGIN TRANSACTION');
      try {
        const now = (await stepStates(db, id)).get(id);
        if (now) await this.update(db, id, now);
        else this.drop(id);
      } finally {
        await db.run('COMMIT');
      }
    }
  }

  private async update(db: DuckDBConnection, id: number, state: StepState): Promise<void> {
    const h = this.held.get(id);
    if (h && h.n < state.n) {
      // a run that only logged at its end: every point since the files' state at or after their last x
      const r = (await db.runAndReadAll('SELECT count(*), min(x) FROM points WHERE series = $id AND ord >= $o', { id, o: BigInt(h.nextOrd) }, { id: INTEGER, o: BIGINT })).getRows()[0];
      if (Number(r[0]) === state.n - h.n && Number(r[1]) >= h.lastX) return this.append(db, id, h, state);
    }
    this.drop(id);
    const { v, y } = await collect(duckdbChunks(db)([id], 'x'));
    if (v.length !== state.n) return; // points with a non-finite x after all: read by SQL
    const tmp = (kind: string) => join(this.dir, `${id}.${kind}.tmp`);
    writeFileSync(tmp('x'), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    writeFileSync(tmp('y'), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
    renameSync(tmp('x'), this.path(id, 'x'));
    renameSync(tmp('y'), this.path(id, 'y'));
    this.counters.written++;
    this.counters.pointsWritten += v.length;
    this.keep(id, { ...state, ...ends(v, v.length), index: strided(v, 0, v.length) });
  }

  private async append(db: DuckDBConnection, id: number, h: Held, state: StepState): Promise<void> {
    const tail = await collect(duckdbChunks(db).tail!(new Map([[id, h.lastX]])));
    // the tail read starts with the points the files end with (x = lastX): skip them
    const v = tail.v.subarray(h.tie), y = tail.y.subarray(h.tie);
    if (v.length !== state.n - h.n) return this.drop(id);
    this.held.delete(id);
    const meta = this.path(id, 'json');
    if (existsSync(meta)) unlinkSync(meta);
    for (const [kind, a] of [['x', v], ['y', y]] as const) {
      const fd = openSync(this.path(id, kind), 'a');
      try {
        writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      } finally {
        closeSync(fd);
      }
    }
    this.counters.appended++;
    this.counters.pointsWritten += v.length;
    let index: Float64Array | null = null;
    if (h.index) {
      const more = strided(v, h.n, state.n);
      index = new Float64Array(h.index.length + more.length);
      index.set(h.index);
      index.set(more, h.index.length);
    }
    const last = ends(v, v.length);
    this.keep(id, { ...state, lastX: last.lastX, tie: last.lastX === h.lastX ? h.tie + last.tie : last.tie, index });
  }

  private keep(id: number, h: Held): void {
    const { index, ...meta } = h;
    // the index before the record: a record is only ever beside the files and index of its state
    if (index) {
      writeFileSync(join(this.dir, `${id}.xi.tmp`), new Uint8Array(index.buffer, index.byteOffset, index.byteLength));
      renameSync(join(this.dir, `${id}.xi.tmp`), this.path(id, 'xi'));
    } else if (existsSync(this.path(id, 'xi'))) unlinkSync(this.path(id, 'xi'));
    writeFileSync(join(this.dir, `${id}.json.tmp`), JSON.stringify(meta));
    renameSync(join(this.dir, `${id}.json.tmp`), this.path(id, 'json'));
    this.held.set(id, h);
  }

  private drop(id: number): void {
    this.held.delete(id);
    for (const kind of ['json', 'x', 'y', 'xi'] as const) if (existsSync(this.path(id, kind))) unlinkSync(this.path(id, kind));
  }
}

/** The entries of the stride index that fall in points [from, to) of a series, given those points. */
function strided(v: Float64Array, from: number, to: number): Float64Array {
  const first = Math.ceil(from / STRIDE) * STRIDE;
  const out = new Float64Array(Math.max(0, Math.ceil((to - first) / STRIDE)));
  for (let k = 0; k < out.length; k++) out[k] = v[first + k * STRIDE - from];
  return out;
}

/** The last x of `v` (n > 0) and how many points at the end have it. */
function ends(v: Float64Array, n: number): { lastX: number; tie: number } {
  const lastX = v[n - 1];
  let tie = 0;
  while (tie < n && v[n - 1 - tie] === lastX) tie++;
  return { lastX, tie };
}

/** The points of a stream of one series' chunks (views valid until the next one), copied out. */
async function collect(chunks: AsyncIterable<PointChunk>): Promise<{ v: Float64Array; y: Float32Array }> {
  const cols = new PointColumns();
  for await (const c of chunks) cols.add(c.v, c.y, null, 0, c.rows);
  return { v: cols.x.subarray(0, cols.n), y: cols.y.subarray(0, cols.n) };
}

/**
 * The M4 of a view with the series the files answer read from them and the others by `sql`
 * (views on other x columns: all by `sql`). `states` is the store's state the caller last read.
 */
export async function m4WithSteps(view: M4View, files: StepFiles, states: ReadonlyMap<number, StepState>, sql: (view: M4View) => Promise<M4Result>): Promise<M4Result> {
  if (view.xColumn !== 'x') return sql(view);
  const ids = checkView(view);
  const mine = ids.filter((id) => files.answers(id, states.get(id)));
  if (mine.length === 0) return sql(view);
  const others = ids.filter((id) => !files.answers(id, states.get(id)));
  const { result, missed } = await files.m4(view, mine, (id) => files.answers(id, states.get(id)));
  const rest = [...others, ...missed].sort((a, b) => a - b);
  return rest.length ? mergeM4([result, await sql({ ...view, series: rest })]) : result;
}

/** Bring the step files of the DuckDB file at `path` up to date (`metricgl lod`), with no server running. */
export async function buildStepFiles(path: string, opts: { threads?: number } = {}): Promise<{ series: number; points: number; seconds: number }> {
  const t0 = performance.now();
  const store = await openStore(path, opts);
  try {
    const files = StepFiles.open(stepFilesDir(path));
    await files.refresh(store.db);
    return { series: files.heldCount(), points: files.counters.pointsWritten, seconds: (performance.now() - t0) / 1000 };
  } finally {
    store.close();
  }
}

/**
 * The points of series on the step column from the files where they hold them up to date, from
 * `store` (DuckDB) for the others and for other x columns, in the order asked (series by
 * series): what smoothing and server-side aggregates stream, at file speed instead of the
 * store's 3-4 M points/s. A grown run's catch-up (`tail`) is the store's.
 */
export function stepChunks(files: StepFiles, states: ReadonlyMap<number, StepState>, store: PointChunks): PointChunks {
  const chunks: PointChunks = async function* (wanted, xColumn) {
    if (xColumn !== 'x') return yield* store(wanted, xColumn);
    let pending: number[] = [];
    for (const id of wanted) {
      if (!files.answers(id, states.get(id))) {
        pending.push(id);
        continue;
      }
      if (pending.length) yield* store(pending, xColumn);
      pending = [];
      const whole = files.whole(id);
      if (whole) yield whole;
      else yield* store([id], xColumn);
    }
    if (pending.length) yield* store(pending, xColumn);
  };
  chunks.tail = store.tail;
  return chunks;
}
