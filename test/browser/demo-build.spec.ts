/**
 * The explorer as `npm run demo` serves it: the production build (dist-demo/, built here first
 * when it is missing or was built from other sources) from the node:http production server. The
 * page must load the shipped modded-nanogpt logs (a .csv.gz emitted by the build) and draw them.
 */
import { expect, test } from '@playwright/test';

// (window.explorer is declared globally by demo.spec.ts; this test reads only these fields)
type Explorer = { data: { points: number; series: Map<string, unknown> }; ready: Promise<unknown> };

test('the built explorer, served by the production server, loads the shipped demo data', async ({ page }) => {
  test.setTimeout(180_000);
  const { ensureExplorerBuilt } = await import('../../demo/live/build.mjs');
  const { startExplorerServer } = await import('../../demo/live/prod.mjs');
  const built = await ensureExplorerBuilt({ log: (l) => console.log(l) });
  if (built.built) console.log(`explorer build: ${(built.ms / 1000).toFixed(1)} s (${built.reason})`);
  const server = await startExplorerServer({ port: 0 });
  try {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const data = page.waitForResponse((r) => /\/assets\/modded-nanogpt-loss\.csv-[^/]*\.gz$/.test(r.url()));
    // the dev server's address of the explorer leads to the build's
    await page.goto(`${server.url}/demo/index.html`);
    expect(new URL(page.url()).pathname).toBe('/');
    const res = await data;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/gzip');
    await page.waitForFunction(() => !!(window as unknown as { explorer?: unknown }).explorer);
    const ms = await page.evaluate(async () => {
      await (window as unknown as { explorer: Explorer }).explorer.ready;
      return performance.now();
    });
    console.log(`built explorer: first view at ${(ms / 1000).toFixed(2)} s after navigation start`);
    await expect(page.locator('#loadErrors')).toHaveText('');
    const loaded = await page.evaluate(() => {
      const ex = (window as unknown as { explorer: Explorer }).explorer;
      return { points: ex.data.points, series: ex.data.series.size };
    });
    // demo/data: 330,535 points in 1,204 series (README); the default view may filter, the data does not
    expect(loaded.points).toBeGreaterThan(300_000);
    expect(loaded.series).toBeGreaterThan(1000);
    await expect(page.locator('canvas').first()).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await server.close();
  }
});
