/**
 * The level-of-detail blocks follow the points through every kind of ingest: a series too small
 * for blocks that grows past the threshold, appends (made again from the last top-level block
 * only), a rewritten file (points removed and read again), a restart (repeated steps) and an x
 * that is not finite. After each, the view from the blocks equals the view from the points, and
 * the blocks equal a build from scratch on the same points.
 */
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingestFiles } from '../../src/server/ingest';
import { buildLod, MIN_POINTS, readLodSeries, updateLod } from '../../src/server/lodbuild';
import { PointWriter } from '../../src/server/pointwriter';
import { m4LodQuery, planLod } from '../../src/server/m4lod';
import { m4Query } from '../../src/server/m4sql';
import { openStore, type Store } from '../../src/server/schema';
import { duckdbSeriesReader, SeriesIndex } from '../../src/server/seriesindex';
import { hoverQuery, passOneFromBlocks } from '../../src/server/hover';
import { SmoothCache } from '../../src/server/smoothcache';
import { m4WithSteps, stepStates, StepFiles } from '../../src/server/stepfiles';
import type { M4View } from '../../src/source/m4';
import { mulberry32 } from './prng';

let dir: string;
let store: Store;
let steps: StepFiles;
const rand = mulberry32(5);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricgl-lod-ingest-'));
  store = await openStore(join(dir, 'store.duckdb'), { threads: 1 });
  steps = StepFiles.open(join(dir, 'store.duckdb.steps'));
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const HEAD = 'run,metric,step,value,time,epoch\n';

/** Lines of run `run` for steps [from, to): noisy values, a NaN now and then, spikes. */
function lines(run: string, from: number, to: number, step = (i: number) => i): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const u = rand();
    const y = u < 0.01 ? 'NaN' : u < 0.02 ? String(-u) : String(2 + Math.sin(i / 300) + rand() * 0.1 + (u > 0.999 ? 5 : 0));
    s += `${run},loss,${step(i)},${y},${i * 100 + Math.floor(rand() * 50)},${Math.floor(i / 1000)}\n`;
  }
  return s;
}

async function ids(): Promise<number[]> {
  return (await store.db.runAndReadAll('SELECT id FROM series ORDER BY id')).getRows().map((r) => Number(r[0]));
}

/** Views from the blocks equal views from the points, full range and cut, both y scales. */
async function viewsAgree(): Promise<void> {
  const lod = await readLodSeries(store.db);
  const series = await ids();
  const views: M4View[] = [];
  for (const yScale of ['linear', 'log'] as const) {
    views.push({ series, xColumn: 'x', x0: 0, x1: 20000, W: 64, yScale });
    views.push({ series, xColumn: 'x', x0: 1234.5, x1: 9876.5, W: 50, yScale });
    views.push({ series, xColumn: 'x', x0: 5000, x1: 5600, W: 300, yScale });
  }
  for (const v of views) expect(await m4LodQuery(store.db, v, lod)).toEqual(await m4Query(store.db, v));
  // the step files: stale after the ingest (those series by SQL), then brought up to date (from them)
  const states = await stepStates(store.db);
  const sql = (v: M4View) => m4LodQuery(store.db, v, lod);
  for (const v of views) expect(await m4WithSteps(v, steps, states, sql)).toEqual(await m4Query(store.db, v));
  await steps.refresh(store.db);
  expect(steps.heldCount()).toBe(lod.size);
  expect([...lod.keys()].every((id) => steps.answers(id, states.get(id)))).toBe(true);
  for (const v of views) expect(await m4WithSteps(v, steps, states, sql)).toEqual(await m4Query(store.db, v));
  // and as a server finds them when it starts again
  const reopened = StepFiles.open(steps.dir);
  expect(reopened.heldCount()).toBe(lod.size);
  for (const v of views) expect(await m4WithSteps(v, reopened, states, sql)).toEqual(await m4Query(store.db, v));
  await extentsAgree();
  await hoversAgree();
}

/** Hover from the blocks equals hover from the points (itself tested against a brute force). */
async function hoversAgree(): Promise<void> {
  const lod = await readLodSeries(store.db);
  const series = await ids();
  const cache = new SmoothCache();
  let fromBlocks = 0;
  const cursors = [-50, 0, 0.5, 1, 127.5, 2048, 3390, 4095.9, 5000, 5000.5, 5350, 6999, 13000, 14001, 30000];
  for (let k = 0; k < 12; k++) cursors.push(rand() * 15000);
  for (const x of cursors) {
    for (const smoothing of [undefined, { weight: 0.9, mode: 'ema' as const, range: 14000 }]) {
      const q = { series, xColumn: 'x' as const, x, smoothing };
      expect(await hoverQuery(store.db, q, cache, lod)).toEqual(await hoverQuery(store.db, q, cache));
    }
    fromBlocks += (await passOneFromBlocks(store.db, series, x, lod)).done.length;
  }
  if (lod.size > 0) expect(fromBlocks).toBeGreaterThan(cursors.length / 2);
}

/** The series list's extents from the blocks (a server's start at 1e9 points) equal those from the points. */
async function extentsAgree(): Promise<void> {
  // every series with blocks has its extents kept with them
  const [withExt, all] = (await store.db.runAndReadAll('SELECT count(*) FILTER (WHERE ext), count(*) FROM lod_series')).getRows()[0];
  expect(withExt).toBe(all);
  const fromBlocks = new SeriesIndex();
  await fromBlocks.refresh(duckdbSeriesReader(store.db));
  await store.db.run('CREATE TEMP TABLE ls_saved AS SELECT * FROM lod_series');
  try {
    await store.db.run('UPDATE lod_series SET ext = NULL');
    const fromPoints = new SeriesIndex();
    await fromPoints.refresh(duckdbSeriesReader(store.db));
    expect(fromBlocks.list()).toEqual(fromPoints.list());
  } finally {
    await store.db.run('DELETE FROM lod_series');
    await store.db.run('INSERT INTO lod_series SELECT * FROM ls_saved');
    await store.db.run('DROP TABLE ls_saved');
  }
}

/** The blocks as they are, then as a build from scratch makes them: equal. */
async function blocksAsFromScratch(): Promise<void> {
  const read = async () => (await store.db.runAndReadAll('SELECT * FROM lod ORDER BY lv, series, b')).getRows();
  const kept = await read();
  const series = (await store.db.runAndReadAll('SELECT series, k, levels FROM lod_series ORDER BY series')).getRows();
  await buildLod(store.db);
  expect((await store.db.runAndReadAll('SELECT series, k, levels FROM lod_series ORDER BY series')).getRows()).toEqual(series);
  expect(await read()).toEqual(kept);
}

describe('level-of-detail blocks through ingest', { timeout: 30_000 }, () => {
  const a = () => join(dir, 'a.csv');
  const b = () => join(dir, 'b.csv');

  test('small series have none; grown past the threshold they get blocks', async () => {
    writeFileSync(a(), HEAD + lines('a', 0, 3000));
    writeFileSync(b(), HEAD + lines('b', 0, 500, (i) => i * 10));
    await ingestFiles(store.db, [a(), b()]);
    expect((await readLodSeries(store.db)).size).toBe(0);
    await viewsAgree();
    appendFileSync(a(), lines('a', 3000, MIN_POINTS + 2000));
    await ingestFiles(store.db, [a(), b()]);
    const lod = await readLodSeries(store.db);
    expect([...lod.keys()]).toEqual([(await ids())[0]]);
    await viewsAgree();
    await blocksAsFromScratch();
  });

  test('appends are made again from the last top-level block (the step files appended to)', async () => {
    const before = (await store.db.runAndReadAll('SELECT count(*) FROM lod WHERE vmax < 4096')).getRows()[0][0];
    const { appended, written } = steps.counters;
    appendFileSync(a(), lines('a', MIN_POINTS + 2000, MIN_POINTS + 2600));
    await ingestFiles(store.db, [a()]);
    // the blocks well before the new points were not touched (same rows)
    expect((await store.db.runAndReadAll('SELECT count(*) FROM lod WHERE vmax < 4096')).getRows()[0][0]).toBe(before);
    await viewsAgree();
    expect([steps.counters.appended - appended, steps.counters.written - written]).toEqual([1, 0]);
    await blocksAsFromScratch();
  });

  test('a restart logs steps again: blocks hold both, views agree', async () => {
    appendFileSync(a(), lines('a', 0, 700, (i) => 5000 + i));
    // and a run that starts and ends with NaN inside its first and last blocks with a finite y,
    // with a NaN stretch wider than the hover's window in between (cursor 3390: read by the scan)
    const nan = (i: number) => i < 5 || i >= 5750 || (i >= 3000 && i < 3400);
    writeFileSync(join(dir, 'c.csv'), HEAD + lines('c', 0, 6000).split('\n').map((l, i) => (l && nan(i) ? l.replace(/^(c,loss,\d+,)[^,]+/, '$1nan') : l)).join('\n'));
    await ingestFiles(store.db, [a(), join(dir, 'c.csv')]);
    await viewsAgree();
    await blocksAsFromScratch();
  });

  test('new runs that arrive whole (blocks built from the arrays in JS): equal to the SQL build, ties, repeated steps, -0', async () => {
    // d: values on a coarse grid (ties for min and max inside blocks), repeated steps within the
    // file (equal x, later ordinal), values <= 0, NaN, a second file of the same run later in x
    // e: a -0 (left to the SQL build); f: out of order in its file (left to the SQL build)
    const grid = (run: string, from: number, to: number, step = (i: number) => i) => lines(run, from, to, step).split('\n')
      .map((l) => l.replace(/^([a-z],loss,[\d.]+,)([^,]+)/, (_, h, v) => h + (v === 'NaN' ? v : String(Math.round(Number(v) * 2) / 2)))).join('\n');
    writeFileSync(join(dir, 'd.csv'), HEAD + grid('d', 0, 6000, (i) => Math.floor(i / 3) * 2));
    writeFileSync(join(dir, 'd2.csv'), HEAD + grid('d', 6000, 9000, (i) => Math.floor(i / 3) * 2));
    writeFileSync(join(dir, 'e.csv'), HEAD + lines('e', 0, 5000).replace(/^(e,loss,17,)[^,]+/m, '$1-0'));
    writeFileSync(join(dir, 'f.csv'), HEAD + lines('f', 0, 5000, (i) => (i < 2500 ? i + 2500 : i - 2500)));
    await ingestFiles(store.db, ['d.csv', 'd2.csv', 'e.csv', 'f.csv'].map((f) => join(dir, f)));
    const lod = await readLodSeries(store.db);
    expect(lod.size).toBeGreaterThanOrEqual(5);
    await viewsAgree();
    await blocksAsFromScratch();
  });

  test('a rewritten file: its points are replaced and the blocks with them', async () => {
    writeFileSync(a(), HEAD + lines('a', 0, 7000, (i) => i * 2));
    const { appended, written } = steps.counters;
    const r = await ingestFiles(store.db, [a()]);
    expect(r.removed).toBeGreaterThan(0);
    await viewsAgree();
    expect([steps.counters.appended - appended, steps.counters.written - written]).toEqual([0, 1]);
    await blocksAsFromScratch();
    const lod = await readLodSeries(store.db);
    const plans = planLod({ series: await ids(), xColumn: 'x', x0: 0, x1: 20000, W: 64, yScale: 'linear' }, lod).plans;
    expect(plans.some((p) => !p.allRaw)).toBe(true);
  });

  test('an x that is not finite (the loaders refuse one; a program writing points may not) takes the series off the blocks', async () => {
    const [id] = await ids();
    const others = (await readLodSeries(store.db)).size - 1;
    const w = await PointWriter.open(store.db);
    w.add({ series: id, file: 99, firstOrd: 1e6, x: Float64Array.of(Infinity), y: Float32Array.of(1), time: null, wall: null, epoch: null });
    const touched = [...w.touched].map(([series, fromX]) => ({ series, fromX }));
    await w.commit();
    expect(touched).toEqual([{ series: id, fromX: NaN }]);
    await updateLod(store.db, touched);
    const lod = await readLodSeries(store.db);
    expect(lod.has(id)).toBe(false);
    expect(lod.size).toBe(others); // the other runs keep their blocks
    await viewsAgree(); // and its step files are gone
    expect(existsSync(join(steps.dir, `${id}.x`))).toBe(false);
  });
});

describe('step files left by a process that died', { timeout: 30_000 }, () => {
  test('a series without its record or with a short file is written again, the others kept', async () => {
    const lod = await readLodSeries(store.db);
    await steps.refresh(store.db);
    const [first, second] = [...lod.keys()].sort((p, q) => p - q);
    rmSync(join(steps.dir, `${first}.json`)); // died while writing or appending: no record
    appendFileSync(join(steps.dir, `${second}.y`), 'xx'); // sizes that disagree with the record
    writeFileSync(join(steps.dir, `${first}.x.tmp`), 'partial');
    const third = [...lod.keys()].sort((p, q) => p - q)[2];
    expect(existsSync(join(steps.dir, `${third}.xi`))).toBe(true);
    writeFileSync(join(steps.dir, `${third}.xi`), 'short'); // an index that disagrees: built again from the steps
    const reopened = StepFiles.open(steps.dir);
    expect(reopened.heldCount()).toBe(lod.size - 2);
    expect(existsSync(join(steps.dir, `${first}.x`)) || existsSync(join(steps.dir, `${first}.x.tmp`))).toBe(false);
    await reopened.refresh(store.db);
    expect(reopened.counters.written).toBe(2);
    expect(existsSync(join(steps.dir, `${first}.xi`))).toBe(true);
    expect(reopened.heldCount()).toBe(lod.size);
    const states = await stepStates(store.db);
    const v: M4View = { series: [...lod.keys()], xColumn: 'x', x0: 0, x1: 20000, W: 64, yScale: 'linear' };
    expect(await m4WithSteps(v, reopened, states, () => Promise.reject(new Error('every series is held')))).toEqual(await m4Query(store.db, v));
  });
});
