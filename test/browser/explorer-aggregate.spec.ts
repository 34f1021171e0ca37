/**
 * The explorer's aggregate (Aim's workflow: group by colour, then aggregate) on the shipped logs:
 * train and eval loss each drawn as one line with its band, the tooltip naming both groups, the
 * choice kept in the URL; and the new smoothing modes listed beside it.
 */
import { expect, test } from '@playwright/test';
import { openExplorer, type ExplorerHandle } from './explorer-open';

type W = { explorer: ExplorerHandle };

test('aggregate by colour: one mean line and band per subset, the tooltip naming both, the URL keeping it', async ({ page }) => {
  await openExplorer(page);
  await page.selectOption('#aggLine', 'mean');
  await page.selectOption('#aggBand', 'std');
  await expect(page.locator('#aggBandRow')).toBeVisible();
  const r = await page.evaluate(async () => {
    const { explorer } = window as unknown as W;
    const chart = explorer.board.charts[0];
    const f = await chart.rendered();
    const train = await chart.aggregated('subset: train');
    const trainRuns = [...explorer.data.series.values()].filter((d) => d.metric === 'loss' && d.fields.subset === 'train').length;
    let maxN = 0, inside = true;
    for (let j = 0; j < train.x.length; j++) {
      maxN = Math.max(maxN, train.n[j]);
      if (train.n[j] > 1 && !(train.low[j] <= train.line[j] && train.line[j] <= train.high[j])) inside = false;
    }
    const b = chart.element.getBoundingClientRect();
    return { groups: f.groups, state: explorer.state(), maxN, trainRuns, inside, options: chart.options.aggregate, plot: f.plot, box: { x: b.x, y: b.y } };
  });
  expect(r.groups).toBe(2); // subset: train and subset: eval
  expect(r.state.aggregate).toEqual({ line: 'mean', band: 'std', runs: 'hidden' });
  expect(r.options).toEqual({ line: 'mean', band: 'std', runs: 'hidden' });
  // every train run covers the first steps: all of them contribute there
  expect(r.trainRuns).toBeGreaterThan(50);
  expect(r.maxN).toBe(r.trainRuns);
  expect(r.inside).toBe(true);

  // hover: both groups in the tooltip, with the band's column and n
  await page.mouse.move(r.box.x + r.plot.left + r.plot.width * 0.5, r.box.y + r.plot.top + r.plot.height * 0.5);
  const groups = page.locator('.metricgl-tooltip-groups tbody tr');
  await expect(groups).toHaveCount(2);
  await expect(page.locator('.metricgl-tooltip-groups thead')).toContainText('± std');
  await expect(groups.filter({ hasText: 'subset: train' })).toHaveCount(1);

  // the URL keeps the choice: a reload draws the groups again
  await openExplorer(page, null);
  await expect(page.locator('#aggLine')).toHaveValue('mean');
  const again = await page.evaluate(async () => (await (window as unknown as W).explorer.board.charts[0].rendered()).groups);
  expect(again).toBe(2);
  // off: every run on its own again
  await page.selectOption('#aggLine', 'off');
  const off = await page.evaluate(async () => (await (window as unknown as W).explorer.board.charts[0].rendered()).groups);
  expect(off).toBe(0);
});
