/**
 * The demo explorer as a new user goes through it (Aim's workflow): real logs by default, pick
 * loss, colour by subset, smoothing 0.7, log y, relative time, hover a run and read its value,
 * hide it from the legend, reload the bookmark, load a CSV and a TensorBoard event file made here
 * from known values and read those values in the tooltip; and a live log folder growing with no
 * reload.
 */
import { expect, test, type Page } from '@playwright/test';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameInfo } from '../../src/index';
import { writeEvents } from '../fixtures/tfevents';

type Explorer = {
  data: { series: Map<string, { key: string; run: string; metric: string; fields: Record<string, string>; step: Float64Array; value: Float32Array; time: Float64Array | null }>; points: number };
  board: { charts: import('../../src/index').Chart[]; points(): number };
  ready: Promise<unknown>;
  state(): Record<string, unknown>;
  t0: number;
};
declare global {
  interface Window {
    explorer: Explorer;
  }
}

async function open(page: Page, url = '/demo/index.html'): Promise<number> {
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => !!window.explorer);
  return page.evaluate(async () => {
    await window.explorer.ready;
    return performance.now() - window.explorer.t0;
  });
}

/** Page position of a series' point, read from its chart's last frame. */
async function pointOnScreen(page: Page, key: string, i: number, smoothed: boolean) {
  return page.evaluate(
    async ({ key, i, smoothed }) => {
      const ex = window.explorer;
      const chart = ex.board.charts.find((c) => c.series().some((r) => r.id === key))!;
      const f: FrameInfo = await chart.rendered();
      const d = ex.data.series.get(key)!;
      const s = smoothed ? (await chart.smoothed(key))[i] : d.value[i];
      const xcol = chart.options.xColumn === 'time' ? d.time! : d.step;
      const x = xcol[i];
      const box = chart.element.getBoundingClientRect();
      const log = chart.options.yScale === 'log';
      const t = (v: number) => (log ? Math.log10(v) : v);
      return {
        x: box.left + f.plot.left + ((x - f.xDomain[0]) / (f.xDomain[1] - f.xDomain[0])) * f.plot.width,
        y: box.top + f.plot.top + ((t(f.yDomain[1]) - t(s)) / (t(f.yDomain[1]) - t(f.yDomain[0]))) * f.plot.height,
        value: s,
        raw: d.value[i],
      };
    },
    { key, i, smoothed },
  );
}

test('the Aim workflow on the real logs, then loading a CSV and a TensorBoard event file', async ({ page }, info) => {
  const ms = await open(page);
  console.log(`demo: first view of the real logs in ${ms.toFixed(0)} ms`);
  // defaults: train and eval loss of every run, coloured by subset, smoothed at 0.6, time-weighted
  // (issue 10: index-based ema made eval, logged every 125 steps, lag far behind its data)
  const first = await page.evaluate(() => ({ state: window.explorer.state(), series: window.explorer.data.series.size, points: window.explorer.board.points() }));
  expect(first.series).toBeGreaterThanOrEqual(1126); // every run, train and eval series apart
  expect(first.points).toBe(330_535);
  expect(first.state).toMatchObject({ metrics: ['loss'], colorBy: 'subset', smoothing: { weight: 0.6, mode: 'time-weighted' } });

  // pick loss (already on), colour by subset, smoothing 0.7, log y, relative time
  await expect(page.locator('#metrics input[value="loss"]')).toBeChecked();
  await page.selectOption('#colorBy', 'subset');
  await page.locator('#weight').fill('0.7');
  await page.selectOption('#yScale', 'log');
  await page.selectOption('#x', 'time');
  const st = await page.evaluate(() => window.explorer.state());
  expect(st).toMatchObject({ smoothing: { weight: 0.7 }, yScale: 'log', x: 'time' });

  // hover the longest train run where it is above the others, and read its smoothed value
  const key = await page.evaluate(() => {
    const train = [...window.explorer.data.series.values()].filter((d) => d.fields.subset === 'train');
    return train.sort((a, b) => b.step.length - a.step.length)[0].key;
  });
  const p = await pointOnScreen(page, key, 200, true);
  await page.mouse.move(p.x, p.y);
  const tip = page.locator('.metricgl-tooltip').first();
  await expect(tip).toBeVisible();
  const label = await page.evaluate((key) => window.explorer.board.charts[0].series().find((r) => r.id === key)!.label, key);
  const row = tip.locator('tr', { hasText: label });
  await expect(row).toHaveCount(1);
  const shown = Number((await row.locator('td').nth(2).textContent())!.replace('–', '-'));
  expect(Math.abs(shown - p.value) / p.value).toBeLessThan(1e-3);

  // hide that run from the legend
  await page.mouse.move(1, 1);
  await page.locator('#legend [data-id]').filter({ hasText: label }).click();
  expect(await page.evaluate((key) => window.explorer.board.charts[0].isVisible(key), key)).toBe(false);
  expect((await page.evaluate(() => window.explorer.state())).hidden).toEqual([key]);

  // the bookmark: reload the URL, the same view comes back
  const before = await page.evaluate(async () => ({ state: window.explorer.state(), frame: await window.explorer.board.charts[0].rendered() }));
  await page.reload();
  await open(page, page.url().replace(/^https?:\/\/[^/]+/, ''));
  const after = await page.evaluate(async () => ({ state: window.explorer.state(), frame: await window.explorer.board.charts[0].rendered(), visible: null as boolean | null }));
  expect(after.state).toEqual(before.state);
  expect(after.frame.xDomain).toEqual(before.frame.xDomain);
  expect(after.frame.yDomain).toEqual(before.frame.yDomain);
  expect(await page.evaluate((key) => window.explorer.board.charts[0].isVisible(key), key)).toBe(false);

  // load a CSV and a TensorBoard event file with known values
  const dir = info.outputPath('files');
  const fs = await import('node:fs');
  fs.mkdirSync(dir, { recursive: true });
  const csv = ['run,subset,metric,step,value,time_ms', ...Array.from({ length: 101 }, (_, i) => `mine,train,accuracy,${i * 10},${(0.5 + i / 400).toFixed(4)},${i * 1000}`)].join('\n');
  writeFileSync(join(dir, 'mine.csv'), csv + '\n');
  const events = writeEvents(Array.from({ length: 50 }, (_, i) => ({ step: i * 20, wall: 1.7e9 + i, tag: 'accuracy', value: 0.25 + i / 100 })));
  fs.mkdirSync(join(dir, 'tbrun'), { recursive: true });
  writeFileSync(join(dir, 'tbrun', 'events.out.tfevents.1700000000.host'), events);
  await page.setInputFiles('#files', [join(dir, 'mine.csv'), join(dir, 'tbrun', 'events.out.tfevents.1700000000.host')]);
  await expect(page.locator('#metrics input[value="accuracy"]')).toBeAttached();
  await expect(page.locator('#loadErrors')).toHaveText('');
  // show only accuracy, unsmoothed, by step, linear
  await page.locator('#metrics input[value="loss"]').uncheck();
  await page.locator('#metrics input[value="accuracy"]').check();
  await page.locator('#weight').fill('0');
  await page.selectOption('#x', 'step');
  await page.selectOption('#yScale', 'linear');
  const runs = await page.evaluate(() => [...window.explorer.data.series.values()].filter((d) => d.metric === 'accuracy').map((d) => d.key));
  expect(runs).toHaveLength(2);
  for (const [k, step, want] of [[runs.find((r) => r.includes('mine'))!, 500, 0.625], [runs.find((r) => !r.includes('mine'))!, 600, 0.55]] as const) {
    const i = await page.evaluate(({ k, step }) => Array.from(window.explorer.data.series.get(k)!.step).indexOf(step), { k, step });
    expect(i).toBeGreaterThanOrEqual(0);
    const q = await pointOnScreen(page, k, i, false);
    expect(q.raw).toBeCloseTo(want, 5);
    await page.mouse.move(q.x, q.y);
    const t = page.locator('.metricgl-tooltip').first();
    await expect(t).toBeVisible();
    await expect(t.locator('tr').first()).toContainText(want.toString().slice(0, 4));
    await page.mouse.move(1, 1);
  }

  // a bad file: a clear message naming it (and its line), and nothing lost. Issue 10: a bad line
  // is a warning now (the loaders keep parsing), shown with the errors in the sidebar messages.
  const pointsBefore = await page.evaluate(() => window.explorer.data.points);
  writeFileSync(join(dir, 'broken.csv'), 'run,step,value\nr,1,abc\n');
  await page.setInputFiles('#files', [join(dir, 'broken.csv')]);
  await expect(page.locator('#loadErrors, #messages').filter({ hasText: 'broken.csv' }).first()).toBeVisible();
  expect(await page.evaluate(() => window.explorer.data.points)).toBe(pointsBefore);
});

test('a live log folder: lines appended to a JSONL file appear in the chart with no reload', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-logdir-'));
  const file = join(dir, 'run1.jsonl');
  writeFileSync(file, Array.from({ length: 20 }, (_, i) => JSON.stringify({ run: 'run1', metric: 'loss', subset: 'train', step: i, value: 5 - i * 0.01 })).join('\n') + '\n');
  const { startDemoServer } = await import('../../demo/serve.mjs');
  const server = await startDemoServer({ logdir: dir, port: 5321, open: false });
  try {
    await open(page, `${server.url}/`);
    const count = () => page.evaluate(() => window.explorer.data.series.size ? [...window.explorer.data.series.values()].filter((d) => d.run === 'run1').reduce((n, d) => n + d.step.length, 0) : 0);
    await expect.poll(count, { timeout: 10_000 }).toBe(20);
    // the training script writes more, half a line first
    appendFileSync(file, JSON.stringify({ run: 'run1', metric: 'loss', subset: 'train', step: 20, value: 4.8 }) + '\n' + '{"run":"run1","metric":"loss","sub');
    await expect.poll(count, { timeout: 5_000 }).toBe(21);
    appendFileSync(file, 'set":"train","step":21,"value":4.79}\n');
    await expect.poll(count, { timeout: 5_000 }).toBe(22);
    // and the chart holds them
    const points = await page.evaluate(async () => {
      const c = window.explorer.board.charts.find((ch) => ch.series().some((r) => r.id.includes('run1')))!;
      return (await c.rendered()).points;
    });
    expect(points).toBeGreaterThanOrEqual(22);
  } finally {
    await server.close();
  }
});
