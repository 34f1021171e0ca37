/**
 * Embedding: the <metric-chart> custom element, and the React and Vue examples (demo/react,
 * demo/vue) built by Vite as an app would build them, served by a plain static server.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { FrameInfo, MetricChartElement } from '../../src/index';
import { BLUE, diffFraction, inkRange, pixel, RED, shotPlot, type RGB, type Shot } from './helpers';
import { serveStatic } from '../static-server.mjs';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function openElementPage(page: Page): Promise<void> {
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto('/test/browser/pages/element.html');
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
}

/** The row (shot pixels, from the top) where value v sits in frame f. */
function rowOf(f: FrameInfo, s: Shot, v: number): number {
  const [lo, hi] = f.yDomain;
  return ((hi - v) / (hi - lo)) * s.height;
}

/** The data x at the centre of shot column c. */
function xAt(f: FrameInfo, s: Shot, c: number): number {
  const [lo, hi] = f.xDomain;
  return lo + ((c + 0.5) / s.width) * (hi - lo);
}

test.describe('<metric-chart>', () => {
  test.beforeEach(({ page }) => openElementPage(page));

  test('two elements from markup draw their series where the data says', async ({ page }) => {
    const [fa, fb]: FrameInfo[] = await page.evaluate(() =>
      Promise.all(['a', 'b'].map((id) => (document.getElementById(id) as MetricChartElement).rendered())),
    );
    expect(fa.points).toBe(1000);
    expect(fb.points).toBe(1000);

    // a: the red ramp y = 10 x / 999, checked in five columns across the plot
    const sa = await shotPlot(page, fa, '#a');
    for (const t of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      const c = Math.floor(t * sa.width);
      const ink = inkRange(sa, c, RED);
      expect(ink, `red in column ${c}`).not.toBeNull();
      const want = rowOf(fa, sa, (10 * xAt(fa, sa, c)) / 999);
      expect(ink![0], `red top in column ${c}, value row ${want}`).toBeLessThanOrEqual(want + 3);
      expect(ink![1], `red bottom in column ${c}, value row ${want}`).toBeGreaterThanOrEqual(want - 3);
    }
    expect(inkRange(sa, Math.floor(sa.width / 2), BLUE), "b's blue is not in a").toBeNull();

    // b: blue at 5, with its spike to 9 drawn at x = 500
    const sb = await shotPlot(page, fb, '#b');
    const flat = inkRange(sb, Math.floor(sb.width * 0.2), BLUE);
    expect(flat).not.toBeNull();
    expect(Math.abs(flat![0] - rowOf(fb, sb, 5))).toBeLessThanOrEqual(3);
    const spikeCol = Math.floor(((500 - fb.xDomain[0]) / (fb.xDomain[1] - fb.xDomain[0])) * sb.width);
    const tops = [spikeCol - 1, spikeCol, spikeCol + 1].map((c) => inkRange(sb, c, BLUE)?.[0] ?? Infinity);
    expect(Math.abs(Math.min(...tops) - rowOf(fb, sb, 9))).toBeLessThanOrEqual(3);
  });

  test('the y-scale attribute sets yScale: "log" draws a positive y domain', async ({ page }) => {
    const [before, after, options] = await page.evaluate(async () => {
      const a = document.getElementById('a') as MetricChartElement;
      const before = await a.rendered();
      a.setAttribute('y-scale', 'log');
      return [before, await a.rendered(), a.chart!.options] as const;
    });
    expect(before.yDomain[0]).toBeLessThan(0); // the ramp starts at 0, padded below
    expect(options.yScale).toBe('log');
    expect(after.yDomain[0]).toBeGreaterThan(0);
    expect(after.yDomain[1]).toBeGreaterThan(after.yDomain[0]);
    expect(after.nonPositive).toBe(1); // the 0 at x = 0, skipped
    // and the attributes set in markup were applied on connection
    expect(options.showRaw).toBe(false);
  });

  test('a bad attribute dispatches an error event and the chart keeps its options', async ({ page }) => {
    const out = await page.evaluate(async () => {
      const b = document.getElementById('b') as MetricChartElement;
      const errors: string[] = [];
      b.addEventListener('error', (e) => errors.push(`${((e as unknown as CustomEvent).detail as Error).name}: ${((e as unknown as CustomEvent).detail as Error).message}`));
      b.options = { smoothing: { weight: 0.2, mode: 'time-weighted' } };
      b.setAttribute('y-scale', 'sqrt');
      b.setAttribute('smoothing', 'lots');
      b.setAttribute('show-raw', 'yes');
      const kept = { el: b.options, chart: b.chart!.options, frame: await b.rendered() };
      // a good smoothing attribute moves the weight and keeps the mode set through `options`
      b.setAttribute('smoothing', '0.5');
      return { errors, kept, smoothing: b.chart!.options.smoothing, frame: await b.rendered() };
    });
    expect(out.errors).toEqual([
      `RangeError: yScale must be 'linear' or 'log', got "sqrt"`,
      'RangeError: smoothing must be a number in [0, 1), got "lots"',
      'RangeError: show-raw must be "true" or "false", got "yes"',
    ]);
    for (const o of [out.kept.el, out.kept.chart]) {
      expect(o.yScale).toBe('linear');
      expect(o.smoothing).toEqual({ weight: 0.2, mode: 'time-weighted' });
      expect(o.showRaw).toBe(true);
    }
    expect(out.kept.frame.points).toBe(1000);
    expect(out.smoothing).toEqual({ weight: 0.5, mode: 'time-weighted' });
    expect(out.frame.smoothing).not.toBe('none');
  });

  test('removing the element destroys its chart; moving it keeps the chart; re-adding makes a new one', async ({ page }) => {
    const out = await page.evaluate(async () => {
      const a = document.getElementById('a') as MetricChartElement;
      const b = document.getElementById('b') as MetricChartElement;
      await Promise.all([a.rendered(), b.rendered()]);
      const old = a.chart!;
      a.remove();
      await Promise.resolve(); // destruction waits one microtask (a move is remove + insert)
      const afterRemove = {
        chart: a.chart,
        canvases: a.shadowRoot!.querySelectorAll('canvas').length,
        elementRendered: await a.rendered().then(() => 'resolved', (e: Error) => e.message),
        oldRendered: await old.rendered().then(() => 'resolved', (e: Error) => e.message),
        appendPoints: (() => {
          try {
            a.appendPoints('ramp', [1000], [10]);
            return 'no error';
          } catch (e) {
            return (e as Error).message;
          }
        })(),
      };
      // moving b (remove + insert in one task) keeps its chart and what was appended to it
      const bChart = b.chart;
      b.appendPoints('flat', [1000, 1001], [5, 5]);
      document.getElementById('elsewhere')!.append(b);
      await new Promise((r) => setTimeout(r, 0));
      const moved = { same: b.chart === bChart, frame: await b.rendered() };
      // back in the document: a new chart from the element's series and options
      document.body.append(a);
      const again = await a.rendered();
      return { afterRemove, moved, again: { points: again.points, fresh: a.chart !== old } };
    });
    expect(out.afterRemove).toEqual({
      chart: null,
      canvases: 0,
      elementRendered: '<metric-chart> is not connected (rendered)',
      oldRendered: 'chart destroyed',
      appendPoints: '<metric-chart> is not connected (appendPoints)',
    });
    expect(out.moved.same).toBe(true);
    expect(out.moved.frame.points).toBe(1002);
    expect(out.again).toEqual({ points: 1000, fresh: true });
  });

  test('properties set before definition or connection apply on connect; appendPoints and smoothed forward', async ({ page }) => {
    const out = await page.evaluate(async () => {
      // an element created before its name is defined: the properties land on the plain element
      // and are taken over when defineMetricChart() upgrades it
      const late = document.createElement('late-chart') as MetricChartElement;
      late.style.cssText = 'display:block;width:400px;height:200px';
      late.series = [{ id: 's', x: [0, 1, 2, 3], y: [1, 2, 3, 4] }];
      late.options = { yScale: 'log' };
      window.metricgl.defineMetricChart('late-chart');
      window.metricgl.defineMetricChart('late-chart'); // again: harmless
      window.metricgl.defineMetricChart(); // the default name is taken by the same class: harmless
      document.body.append(late);
      const f = await late.rendered();
      late.appendPoints('s', [4], [5]);
      const g = await late.rendered();
      const smoothed = Array.from(await late.smoothed('s'));

      // series set before connection are checked on connection: bad ones are an error event
      const bad = document.createElement('metric-chart');
      const errors: string[] = [];
      bad.addEventListener('error', (e) => errors.push(((e as unknown as CustomEvent).detail as Error).message));
      bad.series = [{ id: 'q', x: [0, 1], y: [1] }];
      document.body.append(bad);
      // a bad options property throws at the call, before or after connection
      let thrown = '';
      try {
        bad.options = { xScale: 'sqrt' as never };
      } catch (e) {
        thrown = `${(e as Error).name}: ${(e as Error).message}`;
      }
      return {
        upgraded: late instanceof window.metricgl.MetricChartElement,
        points: [f.points, g.points],
        yScale: late.chart!.options.yScale,
        smoothed,
        errors,
        thrown,
        badChart: bad.chart !== null,
      };
    });
    expect(out.upgraded).toBe(true);
    expect(out.points).toEqual([4, 5]);
    expect(out.yScale).toBe('log');
    expect(out.smoothed).toEqual([1, 2, 3, 4, 5]);
    expect(out.errors).toEqual(['series "q": x has 2 values, y has 1']);
    expect(out.thrown).toBe(`RangeError: xScale must be 'linear' or 'log', got "sqrt"`);
    expect(out.badChart).toBe(true);
  });
});

// --- the framework examples --------------------------------------------------------------------

const PORT = 5300;
let server: Server | null = null;

test.describe('framework examples', () => {
  test.beforeAll(async () => {
    server = await serveStatic(join(repo, 'test-results'), PORT);
  });
  test.afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  for (const name of ['react', 'vue']) {
    test(`demo/${name} builds with Vite, draws two charts, and its slider changes them`, async ({ page }) => {
      const out = `embed-${name}`;
      await build({
        root: join(repo, 'demo', name),
        base: './',
        logLevel: 'warn',
        build: { outDir: join(repo, 'test-results', out), emptyOutDir: true },
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('favicon.ico') && errors.push(`${r.status()} ${r.url()}`));
      await page.goto(`http://127.0.0.1:${PORT}/${out}/index.html`);
      const frames = () =>
        page.evaluate(async () => {
          const charts = (window as unknown as { charts: Record<string, import('../../src/index').Chart> }).charts;
          return Promise.all([charts.train.rendered(), charts.eval.rendered()]);
        });
      await page.waitForFunction(() => {
        const charts = (window as unknown as { charts?: Record<string, unknown> }).charts;
        return !!charts?.train && !!charts?.eval;
      });
      const before = await frames();
      expect(before.map((f) => f.points)).toEqual([4 * 20_000, 4 * 81]);
      const shots0 = [await shotPlot(page, before[0], '#train'), await shotPlot(page, before[1], '#eval')];
      for (const s of shots0) {
        // every run's colour is in the plot: the lines are there, not only grid and axes
        for (const c of runColors) expect(colorPixels(s, c), `run colour ${c}`).toBeGreaterThan(30);
      }

      await page.fill('#smoothing', '0.95');
      await page.waitForFunction(() => {
        const charts = (window as unknown as { charts: Record<string, import('../../src/index').Chart> }).charts;
        return charts.train.options.smoothing.weight === 0.95 && charts.eval.options.smoothing.weight === 0.95;
      });
      const after = await frames();
      const shots1 = [await shotPlot(page, after[0], '#train'), await shotPlot(page, after[1], '#eval')];
      expect(diffFraction(shots0[0], shots1[0])).toBeGreaterThan(0.005);
      expect(diffFraction(shots0[1], shots1[1])).toBeGreaterThan(0.005);
      // (a missing favicon is the browser's own request, logged as a console error too)
      expect(errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
    });
  }
});

/** The runs' colours in the examples (Tableau 10, in order). */
const runColors: RGB[] = [
  [0x1f, 0x77, 0xb4],
  [0xff, 0x7f, 0x0e],
  [0x2c, 0xa0, 0x2c],
  [0xd6, 0x27, 0x28],
];

/** Pixels of colour c (tight tolerance: the raw curves behind are faint, the smoothed ones full). */
function colorPixels(s: Shot, c: RGB): number {
  let n = 0;
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      const p = pixel(s, x, y);
      if (Math.abs(p[0] - c[0]) <= 24 && Math.abs(p[1] - c[1]) <= 24 && Math.abs(p[2] - c[2]) <= 24) n++;
    }
  }
  return n;
}
