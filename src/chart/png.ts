/**
 * toPNG: the chart drawn once more at another device pixel ratio, encoded from its canvas, and
 * drawn back at the screen's ratio. The export is a size change like any other (one commit).
 */
import type { Surface } from './surface';

export async function chartPNG(surface: Surface, resize: () => void, rendered: () => Promise<unknown>, dpr: number): Promise<Blob> {
  if (!(dpr > 0 && dpr <= 8)) throw new RangeError(`toPNG dpr must be in (0, 8], got ${dpr}`);
  surface.exportDpr = dpr;
  resize();
  try {
    await rendered();
    const blob = await new Promise<Blob | null>((r) => surface.canvas.toBlob(r, 'image/png'));
    if (!blob) throw new Error('metricgl: the canvas could not be encoded as PNG');
    return blob;
  } finally {
    surface.exportDpr = 0;
    resize();
  }
}
