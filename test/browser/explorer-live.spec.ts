/**
 * Issue 10, the live folder: a bad line is a message naming file and line while the lines around
 * it are drawn (live and after a reload); two files of one run: rewriting one takes back only its
 * own points; records without a metric say where they went; live series carry `source`.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExplorer, statusNumbers, type ExplorerHandle } from './explorer-open';

/** (window as unknown as W).explorer, typed here (other specs declare only the fields they read) */
type W = { explorer: ExplorerHandle };

const line = (step: number, extra: Record<string, unknown> = {}) => JSON.stringify({ run: 'run1', metric: 'loss', subset: 'train', step, value: 5 - step * 0.01, ...extra });
const lines = (steps: number[]) => steps.map((s) => line(s)).join('\n') + '\n';
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** run1's points, as the explorer holds them and as its chart draws them. */
async function run1(page: Page) {
  return page.evaluate(async () => {
    const ex = (window as unknown as W).explorer;
    const s = [...ex.data.series.values()].filter((d) => d.run === 'run1');
    // a live chunk may rebuild the board (destroying its charts) while we wait: ask the new one
    let drawn = 0;
    for (let tries = 0; tries < 10; tries++) {
      const chart = ex.board.charts.find((c) => c.series().some((r) => s.some((d) => d.key === r.id)));
      if (!chart) break;
      try {
        drawn = (await chart.rendered()).points;
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return { series: s.length, steps: s.flatMap((d) => [...d.step]).sort((a, b) => a - b), drawn, source: s[0]?.fields.source };
  });
}

test('live: a bad line is named and the lines around it drawn; one file of a run rewritten keeps the other\'s points', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'metricgl-live10-'));
  // a.jsonl: steps 0-4, a broken line 6, steps 5-9; b.jsonl: the same run's steps 100-109
  writeFileSync(join(dir, 'a.jsonl'), lines(range(0, 5)) + '{"run":"run1", this is not json\n' + lines(range(5, 5)));
  writeFileSync(join(dir, 'b.jsonl'), lines(range(100, 10)));
  // c.jsonl: records without a metric (they are metric "value")
  writeFileSync(join(dir, 'c.jsonl'), range(0, 12).map((s) => JSON.stringify({ run: 'nometric', step: s, value: s })).join('\n') + '\n');
  const { startDemoServer } = await import('../../demo/serve.mjs');
  const server = await startDemoServer({ logdir: dir, port: 5324, open: false, logLevel: 'silent' } as Parameters<typeof startDemoServer>[0]);
  try {
    await openExplorer(page, `${server.url}/`);
    const want = [...range(0, 10), ...range(100, 10)];
    await expect.poll(async () => (await run1(page)).steps, { timeout: 10_000 }).toEqual(want);
    const r = await run1(page);
    expect(r.series).toBe(1); // two files, one run: one series
    expect(r.drawn).toBeGreaterThanOrEqual(20);
    expect(r.source).toBe('live');
    const warning = page.locator('#messages .message.warning', { hasText: 'a.jsonl' });
    await expect(warning).toContainText('line 6');
    // the metric-less records: where they went is said
    await expect(page.locator('#messages .message.info')).toHaveText("12 new points in metric 'value' (not on screen: tick it under Metrics)");

    // live runs are told apart: a `source` field to filter and colour by
    await page.locator('#filter').fill('source == "live"');
    await expect.poll(() => statusNumbers(page).then((s) => s.shown)).toBe(1);
    await page.selectOption('#colorBy', 'source');
    await expect(page.locator('#groupKey [data-key="colour"] .key-row')).toHaveText(['live · 1 run']);
    // ticking the metric they went to: they are on screen, the note goes
    await page.locator('#metrics input[value="value"]').check();
    await expect(page.locator('#messages .message.info')).toHaveCount(0);
    await expect.poll(() => statusNumbers(page).then((s) => s.shown)).toBe(2);

    // b.jsonl rewritten, shorter: its points go, a.jsonl's stay
    writeFileSync(join(dir, 'b.jsonl'), lines([200, 201, 202]));
    const after = [...range(0, 10), 200, 201, 202];
    await expect.poll(async () => (await run1(page)).steps, { timeout: 10_000 }).toEqual(after);
    await expect(warning).toContainText('line 6'); // a.jsonl is as it was

    // after a reload: the same points, the same warning
    await openExplorer(page, null); // a real reload: a new page, the stream from the start
    await expect.poll(async () => (await run1(page)).steps, { timeout: 10_000 }).toEqual(after);
    await expect(page.locator('#messages .message.warning', { hasText: 'a.jsonl' })).toContainText('line 6');
    expect((await run1(page)).drawn).toBeGreaterThanOrEqual(13);

    // a.jsonl rewritten without the bad line: its warning goes (no stale message)
    writeFileSync(join(dir, 'a.jsonl'), lines(range(0, 3)));
    await expect.poll(async () => (await run1(page)).steps, { timeout: 10_000 }).toEqual([0, 1, 2, 200, 201, 202]);
    await expect(page.locator('#messages .message.warning', { hasText: 'a.jsonl' })).toHaveCount(0);
  } finally {
    await server.close();
  }
});
