import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { m4Reference, type RefSeries } from '../../src/source/m4ref';
import { checkView, type M4View } from '../../src/source/m4';
import { m4Query } from '../../src/server/m4sql';
import { m4LodQuery, planLod } from '../../src/server/m4lod';
import { buildLod, readLodSeries, type LodSeries } from '../../src/server/lodbuild';
import { PointWriter } from '../../src/server/pointwriter';
import { openStore, type Store } from '../../src/server/schema';
import { m4WithSteps, stepChunks, stepStates, StepFiles, type StepState } from '../../src/server/stepfiles';
import { duckdbChunks, smoothedView } from '../../src/server/smoothview';
import { SmoothCache } from '../../src/server/smoothcache';
import { m4Sorted } from '../../src/source/m4sorted';
import { mergeM4 } from '../../src/source/m4merge';
import { mulberry32, randInt } from './prng';
import { expectExercised } from './m4-exercised';

let dir: string;
let store: Store;
let lod: Map<number, LodSeries>;
let steps: StepFiles;
let states: Map<number, StepState>;
const all: RefSeries[] = [];

/** A series of one of several shapes: dense, sparse, restarted (repeated steps), with NaN, ±Inf, values <= 0. */
function makeSeries(id: number, rand: () => number): RefSeries {
  const shape = id % 5;
  const n = shape === 1 ? randInt(rand, 0, 40) : shape === 2 ? randInt(rand, 2000, 6000) : randInt(rand, 200, 1500);
  const step = new Float64Array(n);
  const y = new Float32Array(n);
  const time = new Float64Array(n);
  const restartAt = shape === 3 ? Math.floor(n * 0.7) : -1;
  for (let k = 0; k < n; k++) {
    // shape 3: the run restarts at 70% and logs steps from 40% again; shape 4: few distinct steps
    step[k] = restartAt >= 0 && k >= restartAt ? Math.floor(n * 0.4) + (k - restartAt) : shape === 4 ? Math.floor(k / 7) * 3 : k * 2 + (id % 3);
    const u = rand();
    y[k] = u < 0.02 ? NaN : u < 0.03 ? Infinity : u < 0.035 ? -Infinity : u < 0.08 ? -rand() : u < 0.09 ? 0 : Math.exp(3 * (rand() - 0.5)) + (rand() < 0.2 ? Math.round(rand() * 4) : 0);
    time[k] = rand() < 0.05 ? NaN : k * 100 + (k % 13 === 0 ? 50 : 0);
  }
  return { id, step, y, columns: { time } };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-server-m4-'));
  store = await openStore(join(dir, 'm4.duckdb'), { threads: 1 });
  const rand = mulberry32(7);
  const w = await PointWriter.open(store.db);
  for (let id = 0; id < 40; id++) {
    const s = makeSeries(id * 3 + 1, rand); // sparse ids: 1, 4, 7, ...
    all.push(s);
    w.add({ series: s.id, file: 0, firstOrd: 0, x: Float64Array.from(s.step), y: s.y, time: s.columns!.time as Float64Array, wall: null, epoch: null });
  }
  // stretches with nothing drawable: NaN, and (on log) values <= 0, wider than a column
  const n = 3000;
  const step = Float64Array.from({ length: n }, (_, k) => k * 4);
  const y = Float32Array.from({ length: n }, (_, k) => (k >= 1000 && k < 1100 ? NaN : k >= 2000 && k < 2100 ? -1 : 1 + Math.sin(k / 50) / 2));
  all.push({ id: 200, step, y, columns: { time: Float64Array.from(step, (s) => s * 10) } });
  w.add({ series: 200, file: 0, firstOrd: 0, x: step, y, time: Float64Array.from(step, (s) => s * 10), wall: null, epoch: null });
  // a long run (40,000 points in the same x range, with spikes and NaN): the one whose columns
  // are wide enough in points for level 3 blocks (a view reads the level reading the fewest rows)
  const big = 40000;
  const bstep = Float64Array.from({ length: big }, (_, k) => k * 0.3);
  const by = Float32Array.from({ length: big }, (_, k) => (k % 9973 === 5 ? NaN : k % 7919 === 3 ? 40 : 2 + Math.cos(k / 300) - k / 1e5));
  const btime = Float64Array.from(bstep, (s) => s * 10);
  all.push({ id: 300, step: bstep, y: by, columns: { time: btime } });
  w.add({ series: 300, file: 0, firstOrd: 0, x: bstep, y: by, time: btime, wall: null, epoch: null });
  await w.commit();
  // blocks of ~4 points for series of 100 points and more: the views below read levels 1 to 3,
  // whole blocks and straddling ones, and series too zoomed-in for their blocks
  await buildLod(store.db, { pointsPerBlock: 4, minPoints: 100, batchPoints: 5000 }); // several batches
  lod = await readLodSeries(store.db);
  // the series rows an ingest writes (the step files follow their point counts and ordinals)
  await store.db.run(`INSERT INTO series SELECT series, 'k' || series, 'r' || series, 'loss', '{}', count(*), max(ord) + 1, true, false, false FROM points GROUP BY series`);
  steps = StepFiles.open(join(dir, 'm4.duckdb.steps'));
  await steps.refresh(store.db);
  states = await stepStates(store.db);
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const PATHS = {
  'the points (GROUP BY over the points in view)': (view: M4View) => m4Query(store.db, view),
  'the level-of-detail blocks': (view: M4View) => m4LodQuery(store.db, view, lod),
  'the step files (the blocks for the series they do not hold)': (view: M4View) => m4WithSteps(view, steps, states, (v) => m4LodQuery(store.db, v, lod)),
  // the pure pass over sorted arrays, on every series at once (the step column only: its order is x, then logged order)
  'sorted arrays in memory': async (view: M4View) => {
    if (view.xColumn !== 'x') return m4Query(store.db, view);
    const held = new Map(all.map((s) => {
      const o = Array.from(s.step, (_, k) => k).sort((a, b) => s.step[a] - s.step[b] || a - b);
      return [s.id, { v: Float64Array.from(o, (k) => s.step[k]), y: Float32Array.from(o, (k) => s.y[k]) }];
    }));
    return m4Sorted(held, view, checkView(view));
  },
};

const ids = () => all.map((s) => s.id);

for (const [path, query] of Object.entries(PATHS)) describe(`M4 in SQL from ${path} equals the reference`, () => {
  async function same(view: M4View): Promise<ReturnType<typeof m4Reference>> {
    const ref = m4Reference(all, view);
    const sql = await query(view);
    expect(sql.series).toEqual(ref.series);
    expect(sql.points).toEqual(ref.points);
    expect(sql.buckets).toEqual(ref.buckets);
    return ref;
  }

  for (const yScale of ['linear', 'log'] as const) {
    for (const W of [1, 7, 100, 1000]) {
      test(`${yScale}, W = ${W}, every series over the whole range`, () => same({ series: ids(), xColumn: 'x', x0: 0, x1: 12000, W, yScale }));
    }
    test(`${yScale}: a range that cuts the series (neighbours on both sides)`, () =>
      same({ series: ids(), xColumn: 'x', x0: 333.3, x1: 1717.7, W: 250, yScale }));
    test(`${yScale}: a range with fractional edges and ties at column edges`, () =>
      same({ series: ids(), xColumn: 'x', x0: 0.1, x1: 300.1, W: 3, yScale }));
    test(`${yScale}: the time column (some points without one)`, () =>
      same({ series: ids(), xColumn: 'time', x0: 5000, x1: 150000, W: 400, yScale }));
  }
  // a log x axis: columns cut where the worker cuts them (coords.ts columnEdges), narrowing to the
  // left; points at x <= 0 only ever left of the view
  for (const yScale of ['linear', 'log'] as const) {
    test(`log x, ${yScale} y: every series over the whole positive range, W = 1, 100, 1000`, async () => {
      for (const W of [1, 100, 1000]) await same({ series: ids(), xColumn: 'x', x0: 1, x1: 12000, W, yScale, xScale: 'log' });
    });
    test(`log x, ${yScale} y: a cut range, powers of ten on edges, the time column`, async () => {
      await same({ series: ids(), xColumn: 'x', x0: 3.3, x1: 1717.7, W: 250, yScale, xScale: 'log' });
      await same({ series: ids(), xColumn: 'x', x0: 1, x1: 10000, W: 4, yScale, xScale: 'log' }); // edges 10, 100, 1000: steps on them
      await same({ series: ids(), xColumn: 'x', x0: 0.001, x1: 50, W: 600, yScale, xScale: 'log' }); // columns far narrower than a step
      await same({ series: ids(), xColumn: 'time', x0: 100, x1: 150000, W: 400, yScale, xScale: 'log' });
    });
  }
  test('log x: random views, and a bad one refused', async () => {
    const rand = mulberry32(13);
    for (let k = 0; k < Number(process.env.M4_RANDOM_VIEWS ?? 8); k++) {
      const a = 10 ** (rand() * 4 - 1), b = a * (1 + rand() * 100);
      await same({ series: ids().filter(() => rand() < 0.6), xColumn: rand() < 0.7 ? 'x' : 'time', x0: a, x1: b, W: randInt(rand, 1, 1500), yScale: rand() < 0.5 ? 'log' : 'linear', xScale: 'log' });
    }
    await expect(query({ series: [1], xColumn: 'x', x0: 0, x1: 10, W: 10, yScale: 'linear', xScale: 'log' })).rejects.toThrow(/log x axis/);
  });
  test('the data exercises what it should: dense and sparse, breaks at edges, values <= 0, restarts', async () => {
    const r = await same({ series: ids(), xColumn: 'x', x0: 0, x1: 12000, W: 1000, yScale: 'log' });
    const cut = await same({ series: ids(), xColumn: 'x', x0: 333.3, x1: 1717.7, W: 250, yScale: 'linear' });
    expectExercised(r, cut);
  });
  test('a range between points, and one beyond every point', async () => {
    await same({ series: ids(), xColumn: 'x', x0: 10.5, x1: 10.6, W: 50, yScale: 'linear' });
    await same({ series: ids(), xColumn: 'x', x0: 1e6, x1: 2e6, W: 50, yScale: 'linear' });
  });
  test('one series at a time (a range of ids)', async () => {
    for (const id of [1, 7, 10, 31, 200]) await same({ series: [id], xColumn: 'x', x0: 100.5, x1: 9000, W: 40, yScale: 'log' });
  });
  test('a subset of series, unknown ids, duplicates', () =>
    same({ series: [7, 7, 1, 9999, 13, 4], xColumn: 'x', x0: 0, x1: 4000, W: 300, yScale: 'linear' }));
  test('random views', async () => {
    const rand = mulberry32(11);
    for (let k = 0; k < Number(process.env.M4_RANDOM_VIEWS ?? 12); k++) {
      const a = rand() * 6000, b = a + 1 + rand() * 6000;
      const pick = ids().filter(() => rand() < 0.5);
      await same({ series: pick, xColumn: rand() < 0.7 ? 'x' : 'time', x0: a, x1: b, W: randInt(rand, 1, 1500), yScale: rand() < 0.5 ? 'log' : 'linear' });
    }
  });
  test('a bad view is refused before any SQL', async () => {
    await expect(query({ series: [1], xColumn: 'x', x0: 1, x1: 1, W: 10, yScale: 'linear' })).rejects.toThrow(RangeError);
    await expect(m4Query(store.db, { series: [1], xColumn: 'x', x0: 1, x1: 1, W: 10, yScale: 'linear' })).rejects.toThrow(RangeError);
    await expect(m4Query(store.db, { series: [1], xColumn: "x; DROP TABLE points" as 'x', x0: 0, x1: 1, W: 10, yScale: 'linear' })).rejects.toThrow(/unknown x column/);
    expect((await store.db.runAndReadAll('SELECT count(*) FROM points')).getRows()[0][0]).toBeGreaterThan(0n);
  });
});

describe('the step files', () => {
  test('hold every series with blocks, and the answer comes from them: a changed file changes it', async () => {
    expect(steps.heldCount()).toBe(lod.size);
    const view: M4View = { series: ids(), xColumn: 'x', x0: 0, x1: 12000, W: 100, yScale: 'linear' };
    const sql = (v: M4View) => m4LodQuery(store.db, v, lod);
    const before = await m4WithSteps(view, steps, states, sql);
    const file = join(steps.dir, '300.y');
    const saved = readFileSync(file);
    try {
      writeFileSync(file, new Uint8Array(new Float32Array(saved.length / 4).fill(1e6).buffer));
      const after = await m4WithSteps(view, steps, states, sql);
      const high = (r: typeof before) => Array.from(r.buckets.maxY).filter((v) => v === 1e6).length;
      expect(high(before)).toBe(0);
      expect(high(after)).toBe(100); // series 300's every column
      // a state the files do not hold (the store moved on): by SQL, the file not read
      const moved = new Map(states).set(300, { ...states.get(300)!, nextOrd: states.get(300)!.nextOrd + 1 });
      expect(high(await m4WithSteps(view, steps, moved, sql))).toBe(0);
    } finally {
      writeFileSync(file, saved);
    }
  });
  test('smoothed views streamed from the step files equal those streamed out of DuckDB (every mode)', async () => {
    let fromFiles = 0;
    const counting: ReturnType<typeof duckdbChunks> = Object.assign(
      async function* (wanted: readonly number[], xColumn: Parameters<ReturnType<typeof duckdbChunks>>[1]) {
        for await (const c of stepChunks(steps, states, duckdbChunks(store.db))(wanted, xColumn)) {
          if (xColumn === 'x' && c.rows > 0 && steps.answers(c.sid[0], states.get(c.sid[0]))) fromFiles++;
          yield c;
        }
      },
      { tail: duckdbChunks(store.db).tail },
    );
    const modes = [
      { mode: 'ema', weight: 0.9, range: 12000 }, { mode: 'time-weighted', weight: 0.8, range: 12000 },
      { mode: 'centred', weight: 0, window: 25, range: 0 }, { mode: 'gaussian', weight: 0, sigma: 9, range: 0 },
    ] as const;
    for (const params of modes) {
      for (const view of [
        { series: ids(), xColumn: 'x', x0: 333.3, x1: 1717.7, W: 250, yScale: 'log' },
        { series: ids(), xColumn: 'time', x0: 5000, x1: 150000, W: 400, yScale: 'linear' },
      ] as M4View[]) {
        expect(await smoothedView(counting, view, params, new SmoothCache())).toEqual(await smoothedView(duckdbChunks(store.db), view, params, new SmoothCache()));
      }
    }
    expect(fromFiles).toBe(modes.length * lod.size);
  }, 60_000);
  test('a series whose files change while a view runs is left to SQL, the answer unchanged', async () => {
    const view: M4View = { series: ids(), xColumn: 'x', x0: 100, x1: 9000, W: 300, yScale: 'log' };
    const held = ids().filter((id) => steps.answers(id, states.get(id)));
    const { result, missed } = await steps.m4(view, held, (id) => id !== 300);
    expect(missed).toEqual([300]);
    expect([...result.series.id]).toEqual(held.filter((id) => id !== 300));
    expect(result.buckets.series.includes(300)).toBe(false);
    const ref = m4Reference(all, view);
    const merged = mergeM4([result, await m4LodQuery(store.db, { ...view, series: [...missed, ...ids().filter((id) => !held.includes(id))] }, lod)]);
    expect(merged).toEqual(ref);
  });
});

describe('the level-of-detail path', () => {
  test('the views above read blocks at several levels, whole and straddling, and raw series', () => {
    expect(lod.size).toBeGreaterThan(25);
    const full = (W: number) => planLod({ series: ids(), xColumn: 'x', x0: 0, x1: 12000, W, yScale: 'linear' }, lod).plans;
    // level 1 alone (its edge blocks raw); level 2 and 3 with the edge blocks' children one level down
    expect(full(1000).filter((p) => !p.allRaw && p.lv === 1 && p.elv === 1).length).toBeGreaterThan(10);
    expect(full(100).filter((p) => p.lv === 2 && p.elv === 1).length).toBeGreaterThan(10);
    expect(full(7).filter((p) => p.lv >= 2 && p.elv === p.lv - 1).length).toBeGreaterThan(10);
    expect(full(1).filter((p) => p.lv === 3 && p.elv === 2).length).toBeGreaterThan(5);
    // too zoomed-in for any level: read raw within the view (a view of the suite above)
    const narrow = planLod({ series: ids(), xColumn: 'x', x0: 10.5, x1: 10.6, W: 50, yScale: 'linear' }, lod).plans;
    expect(narrow.filter((p) => p.allRaw).length).toBeGreaterThan(10);
    expect(planLod({ series: ids(), xColumn: 'time', x0: 0, x1: 12000, W: 7, yScale: 'linear' }, lod).plans).toEqual([]);
    // log x: blocks where the columns are wide enough, whole series raw where they are not
    const logPlans = (W: number) => planLod({ series: ids(), xColumn: 'x', x0: 1, x1: 12000, W, yScale: 'linear', xScale: 'log' }, lod).plans;
    expect(logPlans(20).filter((p) => !p.allRaw && p.lv >= 2).length).toBeGreaterThan(5);
    expect(logPlans(20).filter((p) => !p.allRaw && p.lv === 1).length).toBeGreaterThan(5);
    expect(logPlans(1000).filter((p) => p.allRaw).length).toBeGreaterThan(0);
  });
  test('the answer comes from the blocks: a changed block changes it', async () => {
    const view: M4View = { series: ids(), xColumn: 'x', x0: 0, x1: 12000, W: 100, yScale: 'linear' };
    const before = await m4LodQuery(store.db, view, lod);
    await store.db.run('CREATE TEMP TABLE lod_saved AS SELECT * FROM lod');
    try {
      await store.db.run('UPDATE lod SET mxy = 1e6 WHERE lv = 1');
      const after = await m4LodQuery(store.db, view, lod);
      const high = (r: typeof before) => Array.from(r.buckets.maxY).filter((v) => v === 1e6).length;
      expect(high(before)).toBe(0);
      expect(high(after)).toBeGreaterThan(500);
    } finally {
      await store.db.run('DELETE FROM lod');
      await store.db.run('INSERT INTO lod SELECT * FROM lod_saved');
      await store.db.run('DROP TABLE lod_saved');
    }
    expect(await m4LodQuery(store.db, view, lod)).toEqual(before);
  });
});
