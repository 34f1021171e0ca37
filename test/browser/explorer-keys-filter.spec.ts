/**
 * Issue 10 on the shipped logs: the colour and stroke keys say which colour / dash is which value
 * and how many runs it holds; the status line counts what is shown; the README's filter examples
 * work and a field no run has is an error listing the fields (the charts keep the last good
 * filter); at the default smoothing, eval (logged every 125 steps) ends near its raw value.
 */
import { expect, test } from '@playwright/test';
import { openExplorer, statusNumbers, type ExplorerHandle } from './explorer-open';

/** (window as unknown as W).explorer, typed here (other specs declare only the fields they read) */
type W = { explorer: ExplorerHandle };

test('colour and stroke keys, the status line, the README filters and a filter field no run has', async ({ page }) => {
  await openExplorer(page);

  // colour by subset (the default): one key row per value, with its swatch and its run count
  const colour = page.locator('#groupKey [data-key="colour"]');
  await expect(colour.locator('.label')).toHaveText('colour by subset');
  const want = await page.evaluate(() => {
    const runs = (subset: string) => new Set([...(window as unknown as W).explorer.data.series.values()].filter((d) => d.metric === 'loss' && d.fields.subset === subset).map((d) => d.run)).size;
    const chart = (window as unknown as W).explorer.board.charts[0];
    // the colour the chart draws, in the form getComputedStyle gives
    const colourOf = (subset: string) => {
      const el = document.createElement('span');
      el.style.background = chart.series().find((r) => r.id.includes(`subset=${subset}`))!.color;
      document.body.append(el);
      const c = getComputedStyle(el).backgroundColor;
      el.remove();
      return c;
    };
    return { train: runs('train'), eval: runs('eval'), trainColour: colourOf('train'), evalColour: colourOf('eval') };
  });
  expect(want.train).toBeGreaterThan(0);
  expect(want.eval).toBeGreaterThan(0);
  await expect(colour.locator('.key-row')).toHaveCount(2);
  await expect(colour.locator('.key-row[data-value="train"]')).toHaveText(`train · ${want.train.toLocaleString('en-US')} runs`);
  await expect(colour.locator('.key-row[data-value="eval"]')).toHaveText(`eval · ${want.eval.toLocaleString('en-US')} runs`);
  const swatch = (v: string) => colour.locator(`.key-row[data-value="${v}"] .swatch`).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await swatch('train')).toBe(want.trainColour);
  expect(await swatch('eval')).toBe(want.evalColour);
  expect(want.trainColour).not.toBe(want.evalColour);
  // the key sits above the legend, not under it
  const keyBox = (await colour.boundingBox())!;
  const legendBox = (await page.locator('#legend .metricgl-legend').boundingBox())!;
  expect(keyBox.y + keyBox.height).toBeLessThanOrEqual(legendBox.y);

  // stroke by subset: its own key, a dash sample per value, the two patterns different
  await page.selectOption('#strokeBy', 'subset');
  const stroke = page.locator('#groupKey [data-key="stroke"]');
  await expect(stroke.locator('.key-row')).toHaveCount(2);
  const dashes = await stroke.locator('.key-row line').evaluateAll((ls) => ls.map((l) => l.getAttribute('stroke-dasharray') ?? 'solid'));
  expect(new Set(dashes).size).toBe(2);
  await page.selectOption('#strokeBy', '–');
  await expect(stroke).toHaveCount(0); // gone with the grouping: no stale key

  // the status line counts what is shown, not what is loaded
  const all = await statusNumbers(page);
  const loaded = await page.evaluate(() => ({ series: (window as unknown as W).explorer.data.series.size, loss: [...(window as unknown as W).explorer.data.series.values()].filter((d) => d.metric === 'loss').length, points: (window as unknown as W).explorer.board.points() }));
  expect(all).toMatchObject({ shown: loaded.loss, total: loaded.series, points: loaded.points });

  // the README's filter examples, on the shipped data; expected counts computed independently
  // (`steps` is derived: the highest step a series reached. Every track_2 run reached 4,740 or
  // more, so `steps >= 1000` keeps them all; the README's example is `steps >= 6000`, which splits them.)
  const examples: [string, string, boolean][] = [
    ['record ~ "Muon" and subset == "train"', 'd.fields.record.includes("Muon") && d.fields.subset === "train"', true],
    ['not (record ~ "^track_2") or steps >= 6000', '!d.fields.record.startsWith("track_2") || Math.max(...d.step) >= 6000', true],
    ['not (record ~ "^track_2") or steps >= 1000', '!d.fields.record.startsWith("track_2") || Math.max(...d.step) >= 1000', false],
  ];
  for (const [filter, check, narrows] of examples) {
    await page.locator('#filter').fill(filter);
    const expected = await page.evaluate(
      ({ check }) => {
        const keep = new Function('d', `return ${check}`) as (d: unknown) => boolean;
        const list = [...(window as unknown as W).explorer.data.series.values()].filter((d) => d.metric === 'loss' && keep(d));
        return { n: list.length, points: list.reduce((n, d) => n + d.step.length, 0) };
      },
      { check },
    );
    expect(expected.n, filter).toBeGreaterThan(0);
    if (narrows) expect(expected.n, filter).toBeLessThan(all.shown);
    await expect(page.locator('#filterError')).toHaveText('');
    await expect.poll(() => statusNumbers(page), { message: filter }).toMatchObject({ shown: expected.n, total: all.total, points: expected.points });
  }
  const good = await statusNumbers(page);

  // a field no run has: said so, with the fields there are; the charts keep the last good filter
  await page.locator('#filter').fill('step >= 5000');
  await expect(page.locator('#filterError')).toContainText("no run has a field 'step'; fields: ");
  const listed = ((await page.locator('#filterError').textContent()) ?? '').replace(/^.*fields: /, '');
  for (const f of ['record', 'subset', 'steps', 'source']) expect(listed.split(/, | \(/)).toContain(f);
  expect(await statusNumbers(page)).toEqual(good);
  expect(await page.evaluate(() => (window as unknown as W).explorer.state().filter)).toBe(examples[examples.length - 1][0]);
  // the error goes when the filter is right again
  await page.locator('#filter').fill('');
  await expect(page.locator('#filterError')).toHaveText('');
  await expect.poll(() => statusNumbers(page)).toMatchObject({ shown: all.shown });
});

test('at the default smoothing the final smoothed eval value is near its raw value', async ({ page }) => {
  await openExplorer(page);
  await expect(page.locator('#mode')).toHaveValue('time-weighted');
  await expect(page.locator('#modeHint')).toContainText('every 125 steps');
  const r = await page.evaluate(async () => {
    const evals = [...(window as unknown as W).explorer.data.series.values()].filter((d) => d.metric === 'loss' && d.fields.subset === 'eval');
    const d = evals.sort((a, b) => b.step.length - a.step.length)[0];
    const chart = (window as unknown as W).explorer.board.charts.find((c) => c.series().some((s) => s.id === d.key))!;
    const smoothed = await chart.smoothed(d.key);
    return { raw: d.value[d.value.length - 1], smoothed: smoothed[smoothed.length - 1], n: d.step.length };
  });
  console.log(`final eval: raw ${r.raw}, smoothed ${r.smoothed} (${r.n} points)`);
  expect(Math.abs(r.smoothed - r.raw) / r.raw).toBeLessThan(0.01);
});

test('the smoothing list offers the window modes: each with its own input, the charts take it, the bookmark keeps it', async ({ page }) => {
  await openExplorer(page);
  const smoothingOf = () => page.evaluate(() => (window as unknown as W).explorer.board.charts[0].getState().smoothing);
  await expect(page.locator('#windowRow')).toBeHidden();
  await expect(page.locator('#sigmaRow')).toBeHidden();
  await expect(page.locator('#weightRow')).toBeVisible();

  // centred: a window of points (odd), the weight slider out of the way
  await page.locator('#mode').selectOption('centred');
  await expect(page.locator('#windowRow')).toBeVisible();
  await expect(page.locator('#weightRow')).toBeHidden();
  await expect(page.locator('#windowHint')).toContainText('centred');
  await expect.poll(smoothingOf).toMatchObject({ mode: 'centred', window: 21 });
  await page.locator('#window').fill('10'); // even: the next odd up
  await expect.poll(smoothingOf).toMatchObject({ mode: 'centred', window: 11 });
  await page.locator('#window').press('Enter');
  await expect(page.locator('#window')).toHaveValue('11');

  // the drawn values are the reference's, over the chart's own sorted points
  const check = () => page.evaluate(async () => {
    const url = '/src/smooth/reference.ts';
    const ref = await import(/* @vite-ignore */ url);
    const chart = (window as unknown as W).explorer.board.charts[0];
    const f = await chart.rendered();
    const d = [...(window as unknown as W).explorer.data.series.values()].find((s) => chart.series().some((r) => r.id === s.key) && s.step.length > 100)!;
    const got = await chart.smoothed(d.key);
    const want = ref.smooth(d.step, d.value, { ...chart.getState().smoothing, range: 0 });
    let bad = 0;
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], Math.fround(want[i]))) bad++;
    return { bad, n: want.length, on: f.smoothing };
  });
  expect(await check()).toMatchObject({ bad: 0, on: 'cpu' });

  // gaussian: sigma in x units, on the step axis
  await page.locator('#mode').selectOption('gaussian');
  await expect(page.locator('#sigmaRow')).toBeVisible();
  await expect(page.locator('#sigmaRow')).toContainText('steps');
  await expect(page.locator('#windowRow')).toBeHidden();
  await page.locator('#sigma').fill('60');
  await expect.poll(smoothingOf).toMatchObject({ mode: 'gaussian', sigma: 60, window: 11 });
  expect(await check()).toMatchObject({ bad: 0 });

  // running-average, then a reload of the bookmark keeps mode and window
  await page.locator('#mode').selectOption('running-average');
  await expect.poll(smoothingOf).toMatchObject({ mode: 'running-average', window: 11 });
  await openExplorer(page, null);
  await expect(page.locator('#mode')).toHaveValue('running-average');
  await expect(page.locator('#window')).toHaveValue('11');
  await expect.poll(smoothingOf).toMatchObject({ mode: 'running-average', window: 11, sigma: 60 });
  expect(await check()).toMatchObject({ bad: 0 });
});
