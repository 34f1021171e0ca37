/**
 * Issue 10, layout: the charts use the window (one chart fills the main area, subplots share it),
 * the side panels collapse and stay collapsed across a reload, nothing is cut off or under the
 * legend at 1440x900 or 800x600, sidebar messages wrap, and the console stays clean.
 */
import { expect, test, type Page } from '@playwright/test';
import { openExplorer, type ExplorerHandle } from './explorer-open';

/** (window as unknown as W).explorer, typed here (other specs declare only the fields they read) */
type W = { explorer: ExplorerHandle };

type Box = { x: number; y: number; width: number; height: number };

async function boxes(page: Page) {
  const box = async (sel: string) => (await page.locator(sel).first().boundingBox()) as Box;
  return { chart: await box('#grid .metricgl-grid > div > div:last-child'), legend: await box('#legend'), controls: await box('aside') };
}

function inside(b: Box, w: number, h: number) {
  expect(b.x).toBeGreaterThanOrEqual(0);
  expect(b.y).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width).toBeLessThanOrEqual(w + 0.5);
  expect(b.y + b.height).toBeLessThanOrEqual(h + 0.5);
}

const apart = (a: Box, b: Box) => a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5 || a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;

for (const [w, h] of [[1440, 900], [800, 600]] as const) {
  test(`at ${w}x${h} the chart fills the height, and chart, legend and controls are inside the window, apart`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openExplorer(page);
    const b = await boxes(page);
    for (const x of Object.values(b)) inside(x, w, h);
    expect(apart(b.chart, b.legend)).toBe(true);
    expect(apart(b.chart, b.controls)).toBe(true);
    expect(apart(b.legend, b.controls)).toBe(true);
    // one chart: down to the window's bottom (less the padding), not half of it empty
    expect(b.chart.y + b.chart.height).toBeGreaterThan(h - 30);
    expect(b.chart.width).toBeGreaterThan(w >= 1440 ? 800 : 380);
    // the canvas is drawn at that size
    const frame = await page.evaluate(async () => (await (window as unknown as W).explorer.board.charts[0].rendered()).plot);
    expect(frame.height).toBeGreaterThan(b.chart.height * 0.7);
    // nothing of the page scrolls out of the window
    const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(scroll).toEqual({ w, h });

    // subplots share the height, each at least 240 px tall
    await page.selectOption('#chartBy', 'subset');
    await expect(page.locator('#grid .metricgl-grid > div')).toHaveCount(2);
    const cells = await page.locator('#grid .metricgl-grid > div > div:last-child').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    for (const c of cells) expect(c).toBeGreaterThanOrEqual(240);
  });
}

test('a window made narrower after load: the chart shrinks with it, nothing goes under the legend', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openExplorer(page);
  await page.setViewportSize({ width: 800, height: 600 });
  // the chart follows its container: the frame at the new size
  await page.waitForTimeout(300);
  await page.evaluate(async () => (window as unknown as W).explorer.board.charts[0].rendered());
  const b = await boxes(page);
  expect(apart(b.chart, b.legend)).toBe(true);
  expect(apart(b.chart, b.controls)).toBe(true);
  for (const x of Object.values(b)) inside(x, 800, 600);
  const plot = await page.evaluate(async () => (await (window as unknown as W).explorer.board.charts[0].rendered()).plot);
  expect(plot.left + plot.width).toBeLessThanOrEqual(b.chart.width + 0.5);
});

test('the side panels collapse, the chart takes the room, and the state is kept across a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openExplorer(page);
  await page.evaluate(() => localStorage.removeItem('metricgl-explorer-panels'));
  const before = (await boxes(page)).chart;
  await page.click('#toggleSide');
  await page.click('#toggleLegend');
  await expect(page.locator('aside')).toBeHidden();
  await expect(page.locator('#legend')).toBeHidden();
  await expect.poll(async () => (await boxes(page)).chart.width).toBeGreaterThan(before.width + 400);
  await openExplorer(page, null);
  await expect(page.locator('aside')).toBeHidden();
  await expect(page.locator('#legend')).toBeHidden();
  await expect(page.locator('#toggleSide')).toBeVisible();
  await page.click('#toggleSide');
  await page.click('#toggleLegend');
  await expect(page.locator('aside')).toBeVisible();
  await expect(page.locator('#legend')).toBeVisible();
  await expect.poll(async () => Math.round((await boxes(page)).chart.width)).toBe(Math.round(before.width));
});

test('a long sidebar message wraps inside the sidebar instead of scrolling out of view', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await openExplorer(page);
  const name = `runs/${'very_long_folder_name_'.repeat(8)}metrics.jsonl`;
  await page.evaluate((name) => (window as unknown as W).explorer.messages.set('test', 'warning', `${name}: line 12: not JSON`), name);
  const msg = page.locator('#messages .message', { hasText: 'line 12' });
  await expect(msg).toBeVisible();
  const m = (await msg.boundingBox())!;
  const aside = (await page.locator('aside').boundingBox())!;
  expect(m.x + m.width).toBeLessThanOrEqual(aside.x + aside.width);
  expect(await page.locator('aside').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await page.evaluate(() => (window as unknown as W).explorer.messages.clear('test'));
  await expect(page.locator('#messages .message')).toHaveCount(0);
});

/** Console errors, failed requests and HTTP errors while the page loads and draws. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

test('the demo server without --logdir: no console errors, no failed requests, no 404s', async ({ page }) => {
  const { startDemoServer } = await import('../../demo/serve.mjs');
  const server = await startDemoServer({ port: 5323, open: false, logLevel: 'silent' } as Parameters<typeof startDemoServer>[0]);
  try {
    const problems = watchConsole(page);
    await openExplorer(page, `${server.url}/`);
    await page.evaluate(async () => (window as unknown as W).explorer.board.charts[0].rendered());
    expect(await page.evaluate(() => (window as unknown as W).explorer.data.series.size)).toBeGreaterThan(1000); // the shipped logs
    expect(problems).toEqual([]);
  } finally {
    await server.close();
  }
});

test('a host without the /api (a plain static server): the shipped logs load, and the only 404 is the /api/logdir probe', async ({ page }) => {
  const problems = watchConsole(page);
  // the test server answers /api/logdir as `npm run demo` does; a plain host of the files would not
  await page.route('**/api/logdir', (r) => r.fulfill({ status: 404, body: 'not found' }));
  await openExplorer(page);
  expect(await page.evaluate(() => (window as unknown as W).explorer.data.series.size)).toBeGreaterThan(1000);
  // the browser itself reports a 404 fetch on the console; the explorer adds nothing of its own
  expect(problems.filter((p) => !p.includes('/api/logdir') && !/404 \(Not Found\)$/.test(p))).toEqual([]);
  expect(problems.filter((p) => p.startsWith('HTTP')).length).toBeLessThanOrEqual(1);
});
