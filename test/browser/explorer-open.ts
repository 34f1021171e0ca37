/** Opening the demo explorer in the explorer-*.spec.ts tests, and reading what it shows. */
import type { Page } from '@playwright/test';

export type ExplorerSeries = { key: string; run: string; metric: string; fields: Record<string, string>; step: Float64Array; value: Float32Array };
export type ExplorerHandle = {
  data: { series: Map<string, ExplorerSeries>; points: number };
  board: { charts: import('../../src/index').Chart[]; points(): number };
  messages: { set(key: string, level: 'error' | 'warning' | 'info', text: string): void; clear(key: string): void };
  ready: Promise<unknown>;
  state(): Record<string, unknown>;
};

/** Open the explorer (null: reload the page as it is) and wait for its first view. */
export async function openExplorer(page: Page, url: string | null = '/demo/index.html'): Promise<void> {
  if (url === null) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => !!(window as unknown as { explorer?: unknown }).explorer);
  await page.evaluate(() => (window as unknown as { explorer: ExplorerHandle }).explorer.ready);
}

/** The numbers of the status line: "12 of 1,204 series shown · 41,000 points · 1 chart". */
export async function statusNumbers(page: Page): Promise<{ shown: number; total: number; points: number; text: string }> {
  const text = (await page.locator('#status').textContent()) ?? '';
  const m = /^([\d,]+) of ([\d,]+) series shown(?: \([\d,]+ hidden\))? · ([\d,]+) points/.exec(text);
  if (!m) throw new Error(`status line not understood: ${text}`);
  const n = (s: string) => Number(s.replace(/,/g, ''));
  return { shown: n(m[1]), total: n(m[2]), points: n(m[3]), text };
}
