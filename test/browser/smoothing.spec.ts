/**
 * Smoothing as DESIGN.md defines it, read back from the GPU (the GPU path forced) and compared
 * with the float64 CPU reference, and drawn where the reference says.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { inkRange, openHarness, RED, shotPlot } from './helpers';

test.beforeEach(async ({ page }) => {
  await openHarness(page);
  // helpers in the page: the reference, data makers, and a comparison
  await page.evaluate(async () => {
    const url = '/src/smooth/reference.ts'; // served by Vite to the page, not resolved by Node
    const ref = await import(/* @vite-ignore */ url);
    const w = window as unknown as Record<string, unknown>;
    w.ref = ref;
    w.walk = (n: number, seed: number, step = () => 1) => {
      const x = new Float64Array(n), y = new Float32Array(n);
      let s = seed, v = 0, t = 0;
      for (let i = 0; i < n; i++) {
        s = (s * 1103515245 + 12345) >>> 0;
        v += s / 2 ** 32 - 0.5;
        t += step();
        x[i] = t;
        y[i] = 3 + v * 0.05 + ((s >>> 8) % 100) / 100;
      }
      return { x, y };
    };
    // max |gpu - ref| over finite points, max |y|, and points where only one side is NaN
    w.compare = (got: Float32Array, want: Float64Array, y: ArrayLike<number>) => {
      let diff = 0, maxY = 0, nanMismatch = 0;
      for (let i = 0; i < want.length; i++) {
        if (Number.isFinite(y[i])) maxY = Math.max(maxY, Math.abs(y[i]));
        if (Number.isNaN(got[i]) !== Number.isNaN(want[i])) nanMismatch++;
        else if (!Number.isNaN(want[i])) diff = Math.max(diff, Math.abs(got[i] - want[i]));
      }
      return { diff, maxY, nanMismatch, length: got.length };
    };
  });
});

type Cmp = { diff: number; maxY: number; nanMismatch: number; length: number };
const within = (c: Cmp, n: number) => {
  expect(c.length).toBe(n);
  expect(c.nanMismatch).toBe(0);
  expect(c.diff, `max diff ${c.diff} vs max |y| ${c.maxY}`).toBeLessThanOrEqual(1e-4 * c.maxY);
};

test('GPU smoothing equals the CPU reference for both modes, 100k points with NaN and Infinity', async ({ page }) => {
  const results = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const { x, y } = w.walk(100_000, 3, () => 0.5 + Math.random());
    for (let i = 0; i < y.length; i += 997) y[i] = NaN;
    for (let i = 500; i < y.length; i += 1511) y[i] = i % 2 ? Infinity : -Infinity;
    y[0] = NaN; // the series starts with a skipped point
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothingBackend: 'gpu' }));
    c.setSeries([{ id: 'a', x, y }]);
    const out: Record<string, unknown> = {};
    const range = x[x.length - 1] - x[0];
    for (const mode of ['ema', 'time-weighted'] as const) {
      for (const weight of [0.6, 0.9, 0.999]) {
        c.update({ smoothing: { weight, mode } });
        const f: FrameInfo = await c.rendered();
        const got = await c.smoothed('a');
        out[`${mode} ${weight}`] = { ...w.compare(got, w.ref.smooth(x, y, { weight, mode, range }), y), backend: f.smoothing };
      }
    }
    return out;
  });
  for (const [k, r] of Object.entries(results) as [string, Cmp & { backend: string }][]) {
    expect(r.backend, k).toBe('gpu');
    within(r, 100_000);
  }
});

test('time-weighted on the GPU: two runs of different x-extent, uneven spacing, R over both', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const a = w.walk(30_000, 5, () => Math.random() * 3);
    const b = w.walk(70_000, 6, () => Math.random() * 0.4 + (Math.random() < 0.001 ? 500 : 0));
    for (let i = 0; i < b.x.length; i++) b.x[i] += 1000; // starts later, ends elsewhere
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      smoothingBackend: 'gpu',
      smoothing: { weight: 0.95, mode: 'time-weighted' },
    }));
    c.setSeries([{ id: 'a', ...a }, { id: 'b', ...b }]);
    const lo = Math.min(a.x[0], b.x[0]), hi = Math.max(a.x[a.x.length - 1], b.x[b.x.length - 1]);
    const p = { weight: 0.95, mode: 'time-weighted', range: hi - lo };
    return [
      w.compare(await c.smoothed('a'), w.ref.smooth(a.x, a.y, p), a.y),
      w.compare(await c.smoothed('b'), w.ref.smooth(b.x, b.y, p), b.y),
      (await c.rendered()).smoothing,
    ];
  });
  within(r[0] as Cmp, 30_000);
  within(r[1] as Cmp, 70_000);
  expect(r[2]).toBe('gpu');
});

test('weight 0 is the identity on the GPU', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const { x, y } = w.walk(50_000, 7, () => Math.random());
    y[10] = NaN;
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothingBackend: 'gpu' }));
    c.setSeries([{ id: 'a', x, y }]);
    const out = [];
    for (const mode of ['ema', 'time-weighted'] as const) {
      c.update({ smoothing: { weight: 0, mode } });
      const got = await c.smoothed('a');
      let exact = 0;
      for (let i = 0; i < y.length; i++) if (got[i] === y[i]) exact++;
      out.push({ exact, nan10: Number.isNaN(got[10]) });
    }
    return out;
  });
  // ema at weight 0 is exactly the input; time-weighted at weight 0 too (no repeated x here)
  for (const o of r) {
    expect(o.nan10).toBe(true);
    expect(o.exact).toBe(50_000 - 1);
  }
});

test('weight 0.99 on 2M points on the GPU equals the reference', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const { x, y } = w.walk(2_000_000, 11);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      smoothingBackend: 'gpu',
      smoothing: { weight: 0.99, mode: 'ema' },
    }));
    c.setSeries([{ id: 'a', x, y }]);
    const ema = w.compare(await c.smoothed('a'), w.ref.smooth(x, y, { weight: 0.99, mode: 'ema', range: 0 }), y);
    c.update({ smoothing: { weight: 0.99, mode: 'time-weighted' } });
    const range = x[x.length - 1] - x[0];
    const tw = w.compare(await c.smoothed('a'), w.ref.smooth(x, y, { weight: 0.99, mode: 'time-weighted', range }), y);
    return { ema, tw };
  });
  within(r.ema, 2_000_000);
  within(r.tw, 2_000_000);
});

test('appends in chunks continue the smoothing and equal a from-scratch result (GPU)', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const { x, y } = w.walk(120_000, 13);
    y[70_000] = NaN;
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      smoothingBackend: 'gpu',
      smoothing: { weight: 0.9, mode: 'ema' },
    }));
    c.setSeries([{ id: 'a', x: x.subarray(0, 40_000), y: y.subarray(0, 40_000) }, { id: 'b', x, y }]);
    await c.rendered();
    for (let k = 40_000; k < 120_000; k += 20_000) {
      c.append('a', x.subarray(k, k + 20_000), y.subarray(k, k + 20_000));
      await c.rendered(); // each chunk drawn before the next, as a live run would be
    }
    const want = w.ref.smooth(x, y, { weight: 0.9, mode: 'ema', range: 0 });
    return [w.compare(await c.smoothed('a'), want, y), w.compare(await c.smoothed('b'), want, y)];
  });
  within(r[0], 120_000);
  within(r[1], 120_000);
});

test('gaussian on the GPU (the direct-sum pass) equals the reference: NaN and Infinity, uneven x with repeated steps, two runs, appends', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const a = w.walk(60_000, 17);
    for (let i = 0; i < a.y.length; i += 613) a.y[i] = NaN;
    for (let i = 300; i < a.y.length; i += 2111) a.y[i] = Infinity;
    a.y[0] = NaN;
    a.y[a.y.length - 1] = NaN;
    // uneven spacing, some steps repeated (dx 0), a long gap
    const b = w.walk(40_000, 19, () => (Math.random() < 0.1 ? 0 : Math.random() * 3 + (Math.random() < 0.0005 ? 400 : 0)));
    for (let i = 0; i < b.x.length; i++) b.x[i] += 5000;
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothingBackend: 'gpu', showRaw: false }));
    c.setSeries([
      { id: 'a', x: a.x.subarray(0, 30_000), y: a.y.subarray(0, 30_000) },
      { id: 'b', ...b },
    ]);
    const out: Record<string, unknown> = {};
    for (const sigma of [0.7, 12, 150]) {
      c.update({ smoothing: { mode: 'gaussian', sigma } });
      const f: FrameInfo = await c.rendered();
      const p = { mode: 'gaussian', sigma, weight: 0, range: 0 };
      out[`b sigma ${sigma}`] = { ...w.compare(await c.smoothed('b'), w.ref.smooth(b.x, b.y, p), b.y), backend: f.smoothing };
    }
    // appends: the outputs within reach before the new points change too
    c.update({ smoothing: { mode: 'gaussian', sigma: 40 } });
    for (let k = 30_000; k < 60_000; k += 10_000) {
      c.append('a', a.x.subarray(k, k + 10_000), a.y.subarray(k, k + 10_000));
      await c.rendered();
    }
    const f: FrameInfo = await c.rendered();
    const p = { mode: 'gaussian', sigma: 40, weight: 0, range: 0 };
    out['a appended'] = { ...w.compare(await c.smoothed('a'), w.ref.smooth(a.x, a.y, p), a.y), backend: f.smoothing };
    out['b beside it'] = { ...w.compare(await c.smoothed('b'), w.ref.smooth(b.x, b.y, p), b.y), backend: f.smoothing };
    return out;
  });
  for (const [k, v] of Object.entries(r) as [string, Cmp & { backend: string }][]) {
    expect(v.backend, k).toBe('gpu');
    within(v, k.startsWith('a') ? 60_000 : 40_000);
  }
});

test('gaussian windows of thousands of points a side smooth in the worker, equal to the reference', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const { x, y } = w.walk(20_000, 23);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothingBackend: 'gpu', smoothing: { mode: 'gaussian', sigma: 1000 } }));
    c.setSeries([{ id: 'a', x, y }]);
    const f: FrameInfo = await c.rendered();
    return { ...w.compare(await c.smoothed('a'), w.ref.smooth(x, y, { mode: 'gaussian', sigma: 1000, weight: 0, range: 0 }), y), backend: f.smoothing };
  });
  expect(r.backend).toBe('cpu');
  within(r, 20_000);
});

test('time-weighted equals ema on 1001 evenly spaced points (GPU)', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const x = Float64Array.from({ length: 1001 }, (_, i) => i * 5);
    const y = Float32Array.from({ length: 1001 }, (_, i) => Math.sin(i / 30) + (i % 7) * 0.1);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothingBackend: 'gpu' }));
    c.setSeries([{ id: 'a', x, y }]);
    c.update({ smoothing: { weight: 0.8, mode: 'ema' } });
    const ema = await c.smoothed('a');
    c.update({ smoothing: { weight: 0.8, mode: 'time-weighted' } });
    const tw = await c.smoothed('a');
    return w.compare(tw, Float64Array.from(ema), y);
  });
  within(r, 1001);
});

test('a step smoothed at 0.995 with the raw curve hidden is drawn where the reference says', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(async () => {
    const n = 20_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float32Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      smoothingBackend: 'gpu',
      smoothing: { weight: 0.5, mode: 'time-weighted' },
      showRaw: false,
      yDomain: [-0.1, 1.1],
    });
    window.ch.setSeries([{ id: 'step', x, y, color: '#ff0000', width: 1 }]);
    await window.ch.rendered();
    // a slider move: redrawn from what is on the GPU (scan + spans), no worker round trip
    window.ch.update({ smoothing: { weight: 0.995, mode: 'ema' } });
    return window.ch.rendered();
  });
  expect(f.smoothing).toBe('gpu');
  const want: number[] = await page.evaluate(() => {
    const w = window as unknown as Record<string, any>;
    const n = 20_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float32Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    return Array.from(w.ref.smooth(x, y, { weight: 0.995, mode: 'ema', range: 0 }) as Float64Array);
  });
  const shot = await shotPlot(page, f);
  const toPx = (v: number) => ((1.1 - v) / 1.2) * shot.height;
  // just after the step the reference is still low; a drawn step would sit at 1 there
  for (const frac of [0.2, 0.52, 0.55, 0.6, 0.7, 0.9]) {
    const col = Math.floor(frac * shot.width);
    const i = Math.round((col + 0.5) / shot.width * 19_999);
    const ink = inkRange(shot, col, RED)!;
    expect(ink, `ink at ${frac}`).not.toBeNull();
    const mid = (ink[0] + ink[1]) / 2;
    expect(Math.abs(mid - toPx(want[i])), `at ${frac}: ink ${ink} vs ${toPx(want[i])}`).toBeLessThan(4);
  }
  // the raw step is hidden: just after the step nothing is drawn up at 1 (smoothed: ~0.39)
  const after = inkRange(shot, Math.floor(0.505 * shot.width), RED)!;
  expect(after[0]).toBeGreaterThan(toPx(0.8));
});

test('each pixel column of a GPU-smoothed 1M-point curve spans the smoothed min..max', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const { x, y } = w.walk(1_000_000, 17);
    w.data = { x, y };
    window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      smoothingBackend: 'gpu',
      smoothing: { weight: 0.9, mode: 'ema' },
      showRaw: false,
    });
    window.ch.setSeries([{ id: 'a', x, y, color: '#ff0000', width: 1 }]);
    window.ch.update({ xDomain: [200_000, 260_000] });
    return window.ch.rendered();
  });
  const exp = await page.evaluate((f) => {
    const w = window as unknown as Record<string, any>;
    const { x, y } = w.data;
    const s = w.ref.smooth(x, y, { weight: 0.9, mode: 'ema', range: 0 });
    const W = Math.round(f.plot.width), H = Math.round(f.plot.height);
    const [x0, x1] = f.xDomain, [y0, y1] = f.yDomain;
    const top = new Array(W).fill(NaN), bottom = new Array(W).fill(NaN);
    for (let i = 0; i < x.length; i++) {
      if (x[i] < x0 || x[i] > x1) continue;
      const c = Math.min(W - 1, Math.floor(((x[i] - x0) / (x1 - x0)) * W));
      const py = ((y1 - s[i]) / (y1 - y0)) * H;
      if (!(top[c] <= py)) top[c] = py;
      if (!(bottom[c] >= py)) bottom[c] = py;
    }
    return { top, bottom };
  }, f);
  const shot = await shotPlot(page, f);
  for (let c = 1; c < shot.width - 1; c++) {
    const ink = inkRange(shot, c, RED)!;
    expect(ink, `column ${c}`).not.toBeNull();
    expect(ink[0], `column ${c} top`).toBeLessThanOrEqual(Math.floor(exp.top[c]) + 1);
    expect(ink[1], `column ${c} bottom`).toBeGreaterThanOrEqual(Math.floor(exp.bottom[c]) - 1);
    const lo = Math.min(exp.top[c - 1], exp.top[c], exp.top[c + 1]);
    const hi = Math.max(exp.bottom[c - 1], exp.bottom[c], exp.bottom[c + 1]);
    expect(ink[0]).toBeGreaterThanOrEqual(Math.floor(lo) - 2);
    expect(ink[1]).toBeLessThanOrEqual(Math.ceil(hi) + 2);
  }
});

test("the cpu backend smooths in the worker, equal to the reference; 'auto' picks it on SwiftShader", async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const { x, y } = w.walk(100_000, 19);
    y[5] = NaN;
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      smoothingBackend: 'cpu',
      smoothing: { weight: 0.7, mode: 'time-weighted' },
    }));
    c.setSeries([{ id: 'a', x, y }]);
    const f: FrameInfo = await c.rendered();
    const range = x[x.length - 1] - x[0];
    const cmp = w.compare(await c.smoothed('a'), w.ref.smooth(x, y, { weight: 0.7, mode: 'time-weighted', range }), y);
    c.update({ smoothingBackend: 'auto' });
    const auto: FrameInfo = await c.rendered();
    c.update({ smoothing: { weight: 0, mode: 'ema' } });
    const none: FrameInfo = await c.rendered();
    return { cmp, cpu: f.smoothing, auto: auto.smoothing, none: none.smoothing };
  });
  within(r.cmp, 100_000);
  expect(r.cpu).toBe('cpu');
  expect(r.auto).toBe('cpu'); // these tests run on SwiftShader
  expect(r.none).toBe('none');
});

test('live appends smooth only the new points (GPU rows, CPU points) and equal a from-scratch result', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    const n = 200_000, k = 100, rounds = 5;
    const runs = [w.walk(n + k * rounds, 21), w.walk(n + k * rounds, 22), w.walk(n, 23)];
    const out: Record<string, unknown> = {};
    for (const backend of ['gpu', 'cpu'] as const) {
      const c = window.metricgl.createChart(document.getElementById('chart')!, {
        smoothingBackend: backend,
        smoothing: { weight: 0.95, mode: 'ema' },
      });
      c.setSeries(runs.map((d: { x: Float64Array; y: Float32Array }, i: number) => ({ id: `r${i}`, x: d.x.subarray(0, n), y: d.y.subarray(0, n) })));
      const first: FrameInfo = await c.rendered();
      const work = [];
      for (let j = 0; j < rounds; j++) {
        for (const i of [0, 1]) c.append(`r${i}`, runs[i].x.subarray(n + j * k, n + (j + 1) * k), runs[i].y.subarray(n + j * k, n + (j + 1) * k));
        work.push((await c.rendered()).smoothedPoints);
      }
      const p = { weight: 0.95, mode: 'ema', range: 0 };
      const checks = [];
      for (const i of [0, 1, 2]) checks.push(w.compare(await c.smoothed(`r${i}`), w.ref.smooth(runs[i].x, runs[i].y, p), runs[i].y));
      out[backend] = { first: first.smoothedPoints, work, checks, on: first.smoothing };
      c.destroy();
    }
    return out;
  });
  const gpu = r.gpu as { first: number; work: number[]; checks: Cmp[]; on: string };
  const cpu = r.cpu as { first: number; work: number[]; checks: Cmp[]; on: string };
  expect(gpu.on).toBe('gpu');
  expect(cpu.on).toBe('cpu');
  // the first frame smooths everything; each append frame only what it added
  expect(gpu.first).toBeGreaterThanOrEqual(600_000);
  expect(cpu.first).toBe(600_000);
  for (const p of gpu.work) expect(p).toBeLessThanOrEqual(4 * 4096); // two runs, at most two texture rows each
  for (const p of cpu.work) expect(p).toBe(200);
  within(gpu.checks[0], 200_500);
  within(gpu.checks[1], 200_500);
  within(gpu.checks[2], 200_000);
  within(cpu.checks[0], 200_500);
});

/**
 * The window modes (issue 15): running-average and centred smooth in the worker whatever the
 * backend asks, gaussian on the GPU where the backend is 'gpu' (the direct-sum pass) and in the
 * worker with 'auto' here (SwiftShader): two runs of different x-extent with uneven x, NaN and
 * ±Infinity, live appends; in the worker smoothed() equals the float64 reference rounded to
 * float32 exactly and an append smooths only from the first output its points reach; on the GPU
 * it is within the GPU tolerance and an append recomputes every output; the tooltip shows the
 * reference's value at the hovered point of each run.
 */
for (const spec of [
  { mode: 'running-average', window: 40 },
  { mode: 'centred', window: 41 },
  { mode: 'gaussian', sigma: 30 },
] as const) {
  test(`${spec.mode}: ${spec.mode === 'gaussian' ? "on the GPU with 'gpu', in the worker with 'auto'" : 'on the CPU with any backend'}, equal to the reference after appends, and in the tooltip`, async ({ page }) => {
    const r = await page.evaluate(async (spec) => {
      const w = window as unknown as Record<string, any>;
      const n = 12_000, k = 100;
      const runs = [w.walk(n + 3 * k, 31, () => 0.2 + 2 * Math.random()), w.walk(n / 2, 32, () => 3 * Math.random())];
      for (const d of runs) {
        for (let i = 7; i < d.y.length; i += 401) d.y[i] = NaN;
        for (let i = 99; i < d.y.length; i += 1703) d.y[i] = i % 2 ? Infinity : -Infinity;
      }
      runs[1].x.forEach((_: number, i: number) => (runs[1].x[i] += 1000)); // starts later, ends earlier
      const p = { ...spec, weight: 0, range: 0 };
      const out: Record<string, unknown> = {};
      for (const backend of ['gpu', 'auto'] as const) {
        const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { smoothingBackend: backend, smoothing: spec, showRaw: false }));
        c.setSeries([{ id: 'a', x: runs[0].x.subarray(0, n), y: runs[0].y.subarray(0, n) }, { id: 'b', x: runs[1].x, y: runs[1].y }]);
        const first = await c.rendered();
        const work = [];
        for (let j = 0; j < 3; j++) {
          c.append('a', runs[0].x.subarray(n + j * k, n + (j + 1) * k), runs[0].y.subarray(n + j * k, n + (j + 1) * k));
          work.push((await c.rendered()).smoothedPoints);
        }
        // exact: the worker computes the reference's float64 values and rounds them to float32
        const mismatches = [];
        for (const [i, id] of ['a', 'b'].entries()) {
          const got = await c.smoothed(id), want = w.ref.smooth(runs[i].x, runs[i].y, p);
          let bad = 0, far = 0, maxY = 0;
          for (const v of runs[i].y) if (Number.isFinite(v)) maxY = Math.max(maxY, Math.abs(v));
          for (let q = 0; q < want.length; q++) {
            if (!Object.is(got[q], Math.fround(want[q]))) bad++;
            if (Number.isNaN(got[q]) !== Number.isNaN(want[q]) || Math.abs(got[q] - want[q]) > 1e-4 * maxY) far++;
          }
          mismatches.push({ bad, far, length: got.length });
          (w.want ??= {})[id] = Float32Array.from(want); // for the tooltip, below
        }
        out[backend] = { on: first.smoothing, first: first.smoothedPoints, work, mismatches };
        if (backend === 'gpu') c.destroy();
      }
      return out;
    }, spec);
    // reach forward in points: centred h = 20; gaussian: the points within 5.26 sigma in x (~80 of them here)
    for (const backend of ['gpu', 'auto'] as const) {
      const b = r[backend] as { on: string; first: number; work: number[]; mismatches: { bad: number; far: number; length: number }[] };
      if (spec.mode === 'gaussian' && backend === 'gpu') {
        expect(b.on, backend).toBe('gpu');
        // every output of the texture (4096 points a row) at first and after each append
        for (const p of [b.first, ...b.work]) expect(p).toBeGreaterThanOrEqual(12_300 + 6_000);
        expect(b.mismatches.map((m) => [m.far, m.length])).toEqual([[0, 12_300], [0, 6_000]]);
        continue;
      }
      expect(b.on, backend).toBe('cpu');
      expect(b.first).toBe(12_000 + 6_000);
      for (const p of b.work) {
        if (spec.mode === 'running-average') expect(p).toBe(100);
        else if (spec.mode === 'centred') expect(p).toBe(100 + 20);
        else expect(p).toBeGreaterThan(100), expect(p).toBeLessThan(300);
      }
      expect(b.mismatches.map((m) => [m.bad, m.length])).toEqual([[0, 12_300], [0, 6_000]]);
    }

    // the tooltip of the chart left open ('auto'): each row's smoothed value is the reference's at its point
    await page.evaluate(async () => {
      const w = window as unknown as Record<string, any>;
      const url = '/src/axes/format.ts'; // served by Vite to the page
      w.fmt = await import(/* @vite-ignore */ url);
      w.hovers = [];
      window.ch!.on('hover', (h) => h && w.hovers.push(h));
    });
    const f = await page.evaluate(() => window.ch!.rendered());
    const box = (await page.locator('#chart').boundingBox())!;
    const tip = page.locator('.metricgl-tooltip');
    for (const frac of [0.03, 0.3, 0.55, 0.97]) {
      await page.mouse.move(5, 5);
      await expect(tip).toBeHidden();
      await page.evaluate(() => ((window as unknown as Record<string, unknown[]>).hovers.length = 0));
      await page.mouse.move(box.x + f.plot.left + frac * f.plot.width, box.y + f.plot.top + f.plot.height / 2);
      await expect(tip).toBeVisible();
      await page.waitForFunction(() => (window as unknown as Record<string, unknown[]>).hovers.length > 0);
      const rows = await page.evaluate(() => {
        const w = window as unknown as Record<string, any>;
        const cells = Object.fromEntries([...document.querySelectorAll('.metricgl-tooltip tr')].map((tr) => [(tr as HTMLElement).dataset.id, (tr as HTMLTableRowElement).cells[2]?.textContent ?? '']));
        return w.hovers.at(-1).points.filter((pt: { inRange: boolean }) => pt.inRange).map((pt: { id: string; index: number; smoothed: number | null }) => {
          const want = w.want[pt.id][pt.index];
          return { id: pt.id, smoothed: pt.smoothed, want, shown: cells[pt.id], wantShown: w.fmt.formatValue(want, 'number') };
        });
      });
      expect(rows.length, `at ${frac}`).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.smoothed, `${row.id} at ${frac}`).toBe(row.want);
        expect(row.shown, `${row.id} at ${frac}`).toBe(row.wantShown);
      }
    }
  });
}
