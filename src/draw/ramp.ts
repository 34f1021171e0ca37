/**
 * The density ramp (docs/semantics.md, Density): level 1 (one curve through a pixel) light, 255
 * (the frame's most) dark, so a lone run reads as a pale line and the bundle most runs follow
 * as the darkest band. Viridis (perceptually uniform, colour-blind safe) reversed, its lightest
 * tenth left out so that one curve still shows on a white plot.
 */
import { interpolateViridis } from 'd3-scale-chromatic';
import { parseColor } from './color';

/** The CSS colour of a ramp level 1..255. */
export function densityColor(level: number): string {
  return interpolateViridis(0.9 * (1 - (Math.min(255, Math.max(1, level)) - 1) / 254));
}

/** 256 RGBA8 texels: level 0 transparent, 1..255 their colours. */
export function densityRamp(): Uint8Array {
  const out = new Uint8Array(256 * 4);
  for (let level = 1; level < 256; level++) {
    const c = parseColor(densityColor(level))!;
    out.set([Math.round(c[0] * 255), Math.round(c[1] * 255), Math.round(c[2] * 255), 255], 4 * level);
  }
  return out;
}
