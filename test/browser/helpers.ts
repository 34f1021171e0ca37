/**
 * Shared pieces of the browser tests: open the harness, take a screenshot of the plot and ask
 * questions of its pixels. Tests look at the picture a person would see, not at internal state.
 */
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import type { FrameInfo } from '../../src/index';

export type RGB = readonly [number, number, number];

export async function openHarness(page: Page, query = ''): Promise<void> {
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(`/test/browser/pages/harness.html${query}`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
}

export interface Shot {
  width: number;
  height: number;
  data: Buffer;
  /** device pixels per CSS pixel of the screenshot */
  scale: number;
}

/** Screenshot of the plot area of a frame, at device resolution. */
export async function shotPlot(page: Page, frame: FrameInfo, selector = '#chart'): Promise<Shot> {
  const box = (await page.locator(selector).boundingBox())!;
  const { left, top, width, height } = frame.plot;
  const buf = await page.screenshot({
    clip: { x: box.x + left, y: box.y + top, width, height },
    scale: 'device',
    animations: 'disabled',
  });
  const png = PNG.sync.read(buf);
  return { width: png.width, height: png.height, data: png.data, scale: png.width / width };
}

export async function shotElement(page: Page, selector = '#chart'): Promise<Shot> {
  const buf = await page.locator(selector).screenshot({ scale: 'device', animations: 'disabled' });
  const png = PNG.sync.read(buf);
  const box = (await page.locator(selector).boundingBox())!;
  return { width: png.width, height: png.height, data: png.data, scale: png.width / box.width };
}

export function pixel(s: Shot, x: number, y: number): RGB {
  const i = 4 * (y * s.width + x);
  return [s.data[i], s.data[i + 1], s.data[i + 2]];
}

export function near(a: RGB, b: RGB, tol = 40): boolean {
  return Math.abs(a[0] - b[0]) <= tol && Math.abs(a[1] - b[1]) <= tol && Math.abs(a[2] - b[2]) <= tol;
}

/** Rows of column x whose pixel matches colour c: [top, bottom], or null when none. */
export function inkRange(s: Shot, x: number, c: RGB, tol = 40): [number, number] | null {
  let top = -1, bottom = -1;
  for (let y = 0; y < s.height; y++) {
    if (near(pixel(s, x, y), c, tol)) {
      if (top < 0) top = y;
      bottom = y;
    }
  }
  return top < 0 ? null : [top, bottom];
}

/** Number of pixels matching colour c in the whole shot. */
export function countInk(s: Shot, c: RGB, tol = 40): number {
  let n = 0;
  for (let y = 0; y < s.height; y++) for (let x = 0; x < s.width; x++) if (near(pixel(s, x, y), c, tol)) n++;
  return n;
}

/** Columns that hold at least one pixel of colour c. */
export function inkColumns(s: Shot, c: RGB, tol = 40): number[] {
  const cols: number[] = [];
  for (let x = 0; x < s.width; x++) if (inkRange(s, x, c, tol)) cols.push(x);
  return cols;
}

/** Fraction of pixels that differ between two shots of equal size. */
export function diffFraction(a: Shot, b: Shot): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let d = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) d++;
  }
  return d / (a.width * a.height);
}

export const RED: RGB = [255, 0, 0];
export const BLUE: RGB = [0, 0, 255];

declare global {
  interface Window {
    metricgl: typeof import('../../src/index');
    ch?: import('../../src/index').Chart;
  }
}

/** The page's frame once it holds `points` (drawn by itself after a server's pushes); the most it ever held on the way. */
export async function frameWith(page: Page, points: number, ms: number): Promise<{ frame: FrameInfo; max: number }> {
  return page.evaluate(async ([points, ms]) => {
    const w = window as unknown as { ch: import('../../src/index').Chart; maxPoints: number };
    let last: FrameInfo | null = null;
    for (const t0 = performance.now(); performance.now() - t0 < ms; ) {
      last = await w.ch.rendered().catch(() => null);
      if (last) w.maxPoints = Math.max(w.maxPoints, last.points);
      if (last && last.points === points) return { frame: last, max: w.maxPoints };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the page never held ${points} points (last frame: ${last?.points}, most seen: ${w.maxPoints})`);
  }, [points, ms] as const);
}
