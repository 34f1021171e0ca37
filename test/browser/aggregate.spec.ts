/**
 * Aggregated groups (option `aggregate`, src/aggregate/): a group's line and band drawn in its
 * colour from every point, the runs faint or hidden, a spike in one run inside the min-max band
 * at every zoom, chart.aggregated() equal to the float64 reference (after appends too), hover
 * naming the group's line, band and n.
 */
import { expect, test } from '@playwright/test';
import type { FrameInfo } from '../../src/index';
import { aggregateReference } from '../../src/aggregate/reference';
import { inkRange, openHarness, pixel, RED, shotPlot, type RGB, type Shot } from './helpers';

test.beforeEach(async ({ page }) => openHarness(page));

/** Red at 20% over the white plot: the band. */
const BAND: RGB = [255, 204, 204];

/** Rows of column x tinted like the band (20% red over white or over a grey grid line). */
function bandRows(s: Shot, x: number): [number, number] | null {
  let top = -1, bottom = -1;
  for (let y = 0; y < s.height; y++) {
    const [r, g, b] = pixel(s, x, y);
    if (r - g >= 30 && r - g <= 80 && Math.abs(g - b) < 10) {
      if (top < 0) top = y;
      bottom = y;
    }
  }
  return top < 0 ? null : [top, bottom];
}

test('a group of three flat runs: its mean line in the group colour, its min-max band filled between the runs, the runs hidden', async ({ page }) => {
  const f: FrameInfo = await page.evaluate(() => {
    const n = 2_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const flat = (v: number) => new Float32Array(n).fill(v);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      yDomain: [0, 4], interactive: false, aggregate: { line: 'mean', band: 'minmax', runs: 'hidden' },
    }));
    c.setSeries([1, 2.5, 3].map((v, r) => ({ id: `seed${r}`, x, y: flat(v), color: '#ff0000', width: 1, group: 'lr=0.1' })));
    return c.rendered();
  });
  expect(f.groups).toBe(1);
  const shot = await shotPlot(page, f);
  const row = (v: number) => ((4 - v) / 4) * shot.height;
  for (const col of [10, Math.floor(shot.width / 2), shot.width - 10]) {
    // the line at the mean (6.5 / 3), full strength; the band from 1 to 3 around it
    const line = inkRange(shot, col, RED, 60)!;
    expect(line, `column ${col}: the line`).not.toBeNull();
    expect(Math.abs((line[0] + line[1]) / 2 - row(6.5 / 3))).toBeLessThanOrEqual(2);
    expect(line[1] - line[0]).toBeLessThanOrEqual(4);
    const band = bandRows(shot, col)!;
    expect(band, `column ${col}: the band`).not.toBeNull();
    expect(Math.abs(band[0] - row(3))).toBeLessThanOrEqual(2);
    expect(Math.abs(band[1] - row(1))).toBeLessThanOrEqual(2);
    // nothing of the hidden runs: above the band and below it the plot is white (or grid grey)
    for (const v of [3.6, 3.3, 0.7, 0.4]) {
      const [r, g, b] = pixel(shot, col, Math.round(row(v)));
      expect(r - g, `column ${col}, y = ${v}: no colour`).toBeLessThan(8);
      expect(Math.abs(g - b)).toBeLessThan(8);
    }
  }
  // faint: the runs show through, lighter than the line
  const g = await page.evaluate(async () => {
    window.ch!.update({ aggregate: { line: 'mean', band: 'none', runs: 'faint' } });
    return window.ch!.rendered();
  });
  const faint = await shotPlot(page, g);
  // each run a pale red line (25% of red) at its value; no band
  const mid = Math.floor(faint.width / 2) + 3;
  for (const v of [1, 2.5, 3]) {
    const at = Math.round(((4 - v) / 4) * faint.height);
    const rows = [-2, -1, 0, 1, 2].map((d) => pixel(faint, mid, at + d)).filter(([r, gr, b]) => r > 200 && r - gr >= 40 && r - gr <= 110 && Math.abs(gr - b) < 10);
    expect(rows.length, `a faint run at y = ${v}`).toBeGreaterThan(0);
  }
  // band 'none': between the runs (away from the mean line at 6.5 / 3) nothing is tinted
  for (const v of [1.5, 2.8]) {
    const [r, gr] = pixel(faint, mid, Math.round(((4 - v) / 4) * faint.height));
    expect(r - gr, `y = ${v}: no band`).toBeLessThan(8);
  }
});

test('a spike in one run of 1e5 points stays inside the min-max band at every zoom', async ({ page }) => {
  await page.evaluate(async () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const runs = [0, 1, 2].map((r) => Float32Array.from({ length: n }, (_, i) => 1 + 0.1 * r + 0.05 * Math.sin(i / 50)));
    runs[1][61_234] = 3.5; // one point of one run
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      yDomain: [0, 4], interactive: false, aggregate: { line: 'mean', band: 'minmax', runs: 'hidden' },
    }));
    c.setSeries(runs.map((y, r) => ({ id: `r${r}`, x, y, color: '#ff0000', width: 1, group: 'g' })));
    await c.rendered();
  });
  for (const xDomain of [null, [50_000, 70_000], [61_000, 61_500]] as ([number, number] | null)[]) {
    const f: FrameInfo = await page.evaluate(async (xDomain) => {
      window.ch!.update({ xDomain });
      return window.ch!.rendered();
    }, xDomain);
    const shot = await shotPlot(page, f);
    const px = Math.floor(((61_234 - f.xDomain[0]) / (f.xDomain[1] - f.xDomain[0])) * f.plot.width);
    const band = inkRange(shot, px, BAND, 30);
    expect(band, `view ${f.xDomain}: band at the spike`).not.toBeNull();
    // the band reaches 3.5 at the spike's column, and only there
    expect(Math.abs(band![0] - ((4 - 3.5) / 4) * shot.height), `view ${f.xDomain}`).toBeLessThanOrEqual(3);
    expect(inkRange(shot, px - 8, BAND, 30)![0]).toBeGreaterThan(((4 - 1.5) / 4) * shot.height);
  }
});

test('aggregated(group) equals the float64 reference: uneven x, NaN, runs of different lengths, and after appends', async ({ page }) => {
  const runs = [
    { x: [0, 1, 2, 4, 8, 9], y: [1, 2, NaN, 4, 8, 9] },
    { x: [0.5, 1, 3, 5], y: [10, 20, 30, 50] },
    { x: [2, 3, 4, 5, 6, 7], y: [3, 3, 3, 3, 3, 3] },
  ];
  const more = { x: [10, 11], y: [10, 11] };
  const got = await page.evaluate(async ({ runs, more }) => {
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { aggregate: { line: 'median', band: 'std', runs: 'faint' }, interactive: false }));
    c.setSeries(runs.map((r, i) => ({ id: `r${i}`, x: r.x, y: r.y, group: 'g' })));
    await c.rendered();
    const plain = (a: { x: Float64Array; line: Float32Array; low: Float32Array; high: Float32Array; n: Uint16Array }) => ({
      x: Array.from(a.x), line: Array.from(a.line), low: Array.from(a.low), high: Array.from(a.high), n: Array.from(a.n),
    });
    const before = plain(await c.aggregated('g'));
    c.append('r1', more.x, more.y);
    const after = plain(await c.aggregated('g'));
    let missing = '';
    try {
      await c.aggregated('nope');
    } catch (e) {
      missing = (e as Error).message;
    }
    return { before, after, missing };
  }, { runs, more });
  const asRuns = (rs: { x: number[]; y: number[] }[]) => rs.map((r) => ({ x: Float64Array.from(r.x), y: Float32Array.from(r.y), n: r.x.length }));
  const check = (a: typeof got.before, rs: { x: number[]; y: number[] }[]) => {
    const want = aggregateReference(asRuns(rs), { line: 'median', band: 'std', log: false });
    expect(a.x).toEqual(want.x);
    expect(a.n).toEqual(want.n);
    for (const k of ['line', 'low', 'high'] as const) {
      want[k].forEach((v, j) => {
        if (Number.isNaN(v)) expect(a[k][j]).toBeNull(); // NaN travels through JSON as null
        else expect(a[k][j]).toBeCloseTo(v, 5);
      });
    }
  };
  check(got.before, runs);
  check(got.after, [runs[0], { x: [...runs[1].x, ...more.x], y: [...runs[1].y, ...more.y] }, runs[2]]);
  expect(got.missing).toContain('group "nope"');
});

test('a ci95 band loads its t quantile on first need, in order: nothing fetched before, the values those of the reference', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(r.url()));
  const runs = [
    { x: [0, 1, 2, 3, 4], y: [1, 2, 3, 4, 5] },
    { x: [0, 1, 2, 3, 4], y: [2, 2, 5, 1, 7] },
    { x: [1, 2, 3, 4, 5], y: [3, 1, 4, 1, 5] },
  ];
  const std = await page.evaluate(async (runs) => {
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { aggregate: { line: 'mean', band: 'std', runs: 'faint' }, interactive: false }));
    c.setSeries(runs.map((r, i) => ({ id: `r${i}`, x: r.x, y: r.y, group: 'g' })));
    await c.rendered();
    return Array.from((await c.aggregated('g')).high);
  }, runs);
  const before = fetched.length;
  // the band changes to ci95 and, before the quantile has loaded, a hover and an aggregated() are asked
  const got = await page.evaluate(async () => {
    const c = window.ch!;
    c.update({ aggregate: { line: 'mean', band: 'ci95', runs: 'faint' } });
    const hover = c.hoverAt(2);
    const agg = c.aggregated('g');
    await c.rendered();
    const a = await agg, h = await hover;
    return { x: Array.from(a.x), low: Array.from(a.low), high: Array.from(a.high), n: Array.from(a.n), groups: h?.groups?.length ?? -1 };
  });
  // the quantile's module (@stdlib's, as the dev server serves it) fetched once, and only now
  const quantile = (u: string) => u.includes('t-quantile');
  expect(fetched.slice(0, before).filter(quantile)).toEqual([]);
  expect(fetched.slice(before).filter(quantile).length, fetched.slice(before).join('\n')).toBe(1);
  const want = aggregateReference(runs.map((r) => ({ x: Float64Array.from(r.x), y: Float32Array.from(r.y), n: r.x.length })), { line: 'mean', band: 'ci95', log: false });
  expect(got.x).toEqual(want.x);
  expect(got.n).toEqual(want.n);
  want.high.forEach((v, j) => expect(got.high[j]).toBeCloseTo(v, 4));
  want.low.forEach((v, j) => expect(got.low[j]).toBeCloseTo(v, 4));
  // wider than the std band where three runs contribute (t(0.975, 2) / sqrt(3) = 2.48)
  expect(got.high[2]).toBeGreaterThan(std[2]);
  expect(got.groups).toBe(1);
});

test('hover over a group names its mean, band and n, and the run nearest the cursor', async ({ page }) => {
  const info = await page.evaluate(async () => {
    const x = Float64Array.from({ length: 101 }, (_, i) => i);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, { aggregate: { line: 'mean', band: 'minmax', runs: 'faint' } }));
    c.setSeries([
      { id: 'a', x, y: new Float32Array(101).fill(1), group: '<b>g</b>', color: '#ff0000' },
      { id: 'b', x, y: new Float32Array(101).fill(3), group: '<b>g</b>', color: '#ff0000' },
    ]);
    const f = await c.rendered();
    const box = document.getElementById('chart')!.getBoundingClientRect();
    return { f, box: { x: box.x, y: box.y }, hover: await c.hoverAt(50, 0.1) };
  });
  expect(info.hover.groups).toHaveLength(1);
  expect(info.hover.groups[0]).toMatchObject({ name: '<b>g</b>', x: 50, line: 2, low: 1, high: 3, n: 2, stat: 'mean', band: 'minmax' });
  // the tooltip, through the mouse: the group's row as text (the name is text, not HTML)
  const { f, box } = info;
  await page.mouse.move(box.x + f.plot.left + f.plot.width / 2, box.y + f.plot.top + 10);
  const row = page.locator('.metricgl-tooltip-groups tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('<b>g</b>');
  await expect(row).toContainText('1 – 3');
  await expect(page.locator('.metricgl-tooltip-groups thead')).toContainText('min–max');
  await expect(page.locator('.metricgl-tooltip tr[data-id]').first()).toHaveAttribute('data-id', 'b');
});

test('smoothing applies to the aggregate: the hovered smoothed line is the EMA of the aggregated line', async ({ page }) => {
  const runs = [0, 1, 2].map((r) => ({
    x: Array.from({ length: 300 }, (_, i) => i * (1 + r * 0.5)),
    y: Array.from({ length: 300 }, (_, i) => 2 + Math.sin(i / 7 + r) + (i % 13 === 0 ? 1 : 0)),
  }));
  const hovered = await page.evaluate(async (runs) => {
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      aggregate: { line: 'mean', band: 'std', runs: 'faint' }, smoothing: { mode: 'ema', weight: 0.8 }, interactive: false,
    }));
    c.setSeries(runs.map((r, i) => ({ id: `r${i}`, x: r.x, y: r.y, group: 'g' })));
    await c.rendered();
    return Promise.all([100, 250.5, 400].map(async (x) => (await c.hoverAt(x)).groups[0]));
  }, runs);
  const { smooth } = await import('../../src/smooth/reference');
  const want = aggregateReference(runs.map((r) => ({ x: Float64Array.from(r.x), y: Float32Array.from(r.y), n: r.x.length })), { line: 'mean', band: 'std', log: false });
  const line = smooth(want.x, Float32Array.from(want.line), { mode: 'ema', weight: 0.8, range: 0 });
  for (const g of hovered) {
    const j = want.x.indexOf(g.x);
    expect(j).toBeGreaterThanOrEqual(0);
    expect(g.line).toBeCloseTo(want.line[j], 5);
    expect(g.smoothed).toBeCloseTo(line[j], 4);
    expect(g.n).toBe(want.n[j]);
  }
});

test('the legend lists each group as a row over its runs while aggregating: a click hides the group, a filter naming it lists its runs', async ({ page }) => {
  await page.evaluate(async () => {
    const n = 500;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const flat = (v: number) => new Float32Array(n).fill(v);
    const c = (window.ch = window.metricgl.createChart(document.getElementById('chart')!, {
      yDomain: [0, 5], interactive: false, aggregate: { line: 'mean', band: 'minmax', runs: 'faint' },
    }));
    c.setSeries([
      { id: 'a0', label: 'seed 0', x, y: flat(1), color: '#ff0000', group: 'lr=0.1' },
      { id: 'solo', label: 'baseline', x, y: flat(4), color: '#00aa00' },
      { id: 'b0', label: 'seed 0', x, y: flat(2), color: '#0000ff', group: 'lr=0.3' },
      { id: 'a1', label: 'seed 1', x, y: flat(1.5), color: '#ff0000', group: 'lr=0.1' },
      { id: 'b1', label: 'seed 1', x, y: flat(3), color: '#0000ff', group: 'lr=0.3' },
    ]);
    const el = document.createElement('div');
    el.id = 'legend';
    el.style.cssText = 'position:absolute;left:820px;top:0;width:200px;height:300px';
    document.body.append(el);
    window.metricgl.createLegend(el, c);
    await c.rendered();
  });
  const legend = page.locator('#legend');
  const rows = () => legend.locator('[data-key]').evaluateAll((els) => els.map((e) => e.getAttribute('data-group') ? `[${e.textContent}]` : (e as HTMLElement).dataset.id));
  // each group's row (name and run count), its runs under it; runs without a group after them
  expect(await rows()).toEqual(['[lr=0.12 runs]', 'a0', 'a1', '[lr=0.32 runs]', 'b0', 'b1', 'solo']);
  await expect(legend.locator('.metricgl-legend-count')).toHaveText('5 runs');
  await legend.locator('[data-group="lr=0.3"]').click();
  expect(await page.evaluate(() => ['a0', 'a1', 'b0', 'b1', 'solo'].map((id) => window.ch!.isVisible(id)))).toEqual([true, true, false, false, true]);
  await expect(legend.locator('[data-group="lr=0.3"]')).toHaveAttribute('aria-pressed', 'false');
  // the group's line is gone from the picture with its runs: no blue left
  const f: FrameInfo = await page.evaluate(() => window.ch!.rendered());
  const shot = await shotPlot(page, f);
  let blue = 0;
  for (let y = 0; y < shot.height; y++) {
    const [r, g, b] = pixel(shot, Math.floor(shot.width / 2), y);
    if (b - r > 60 && b - g > 60) blue++;
  }
  expect(blue).toBe(0);
  await legend.locator('[data-group="lr=0.3"]').click();
  expect(await page.evaluate(() => window.ch!.isVisible('b1'))).toBe(true);
  // a filter naming a group lists the group's runs (their labels do not say it)
  await legend.locator('input').fill('lr=0.1');
  expect(await rows()).toEqual(['[lr=0.12 runs]', 'a0', 'a1']);
  await expect(legend.locator('.metricgl-legend-count')).toHaveText('2 of 5 runs');
  // a run's own text still matches it alone, under its group's row
  await legend.locator('input').fill('base');
  expect(await rows()).toEqual(['solo']);
  // aggregation off: the runs alone, in their order
  await legend.locator('input').fill('');
  await page.evaluate(() => window.ch!.update({ aggregate: null }));
  await expect(legend.locator('[data-group]')).toHaveCount(0);
  expect(await rows()).toEqual(['a0', 'solo', 'b0', 'a1', 'b1']);
});

test('with titles over two charts, each aggregating chart lists its own group rows, acting on that chart alone', async ({ page }) => {
  await page.evaluate(async () => {
    const n = 200;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const flat = (v: number) => new Float32Array(n).fill(v);
    const host = document.getElementById('chart')!;
    host.style.height = '150px';
    const second = document.createElement('div');
    second.style.cssText = 'position:absolute;left:0;top:160px;width:800px;height:150px';
    document.body.append(second);
    const runs = [
      { id: 'a0', label: 'seed 0', x, y: flat(1), color: '#ff0000', group: 'lr=0.1' },
      { id: 'a1', label: 'seed 1', x, y: flat(1.5), color: '#ff0000', group: 'lr=0.1' },
      { id: 'b0', label: 'seed 0', x, y: flat(2), color: '#0000ff', group: 'lr=0.3' },
    ];
    const loss = (window.ch = window.metricgl.createChart(host, { yDomain: [0, 5], interactive: false, aggregate: { line: 'mean', band: 'minmax', runs: 'faint' } }));
    const acc = window.metricgl.createChart(second, { yDomain: [0, 5], interactive: false });
    loss.setSeries(runs);
    acc.setSeries(runs);
    (window as unknown as Record<string, unknown>).acc = acc;
    const el = document.createElement('div');
    el.id = 'legend';
    el.style.cssText = 'position:absolute;left:820px;top:0;width:240px;height:300px';
    document.body.append(el);
    window.metricgl.createLegend(el, [loss, acc], { titles: ['loss', 'acc'] });
    await loss.rendered();
  });
  const legend = page.locator('#legend');
  const rows = () => legend.locator('[data-key]').evaluateAll((els) => els.map((e) => (e.getAttribute('data-group') ? `[${e.textContent}]` : `${(e as HTMLElement).dataset.id}:${e.querySelector('.metricgl-legend-chart')?.textContent}`)));
  // the aggregating chart (loss) lists its groups over its runs; acc lists its runs alone
  expect(await rows()).toEqual(['[lr=0.12 runs · loss]', 'a0:loss', 'a1:loss', '[lr=0.31 run · loss]', 'b0:loss', 'a0:acc', 'a1:acc', 'b0:acc']);
  await expect(legend.locator('.metricgl-legend-count')).toHaveText('3 runs');
  // a click on loss's group row hides the group's runs on loss only
  await legend.locator('[data-group="lr=0.1"]').click();
  const visible = () => page.evaluate(() => {
    const w = window as unknown as Record<string, { isVisible(id: string): boolean }>;
    return ['a0', 'a1', 'b0'].map((id) => `${w.ch.isVisible(id)}/${w.acc.isVisible(id)}`);
  });
  expect(await visible()).toEqual(['false/true', 'false/true', 'true/true']);
  await legend.locator('[data-group="lr=0.1"]').click();
  expect(await visible()).toEqual(['true/true', 'true/true', 'true/true']);
  // a filter naming a group lists that chart's group and runs; the acc chart's runs do not say it
  await legend.locator('input').fill('lr=0.3');
  expect(await rows()).toEqual(['[lr=0.31 run · loss]', 'b0:loss']);
  await expect(legend.locator('.metricgl-legend-count')).toHaveText('1 of 3 runs');
  // a chart's title matches its rows, the group rows with them
  await legend.locator('input').fill('acc');
  expect(await rows()).toEqual(['a0:acc', 'a1:acc', 'b0:acc']);
});
