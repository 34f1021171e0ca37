/**
 * Per-series style in a small float texture, two texels per slot: colour (straight RGBA), then
 * (width in device px, visible, dash on, dash off) with dashes in device px (0, 0: solid). Instances carry only a slot number, so changing a colour
 * or hiding a run rewrites a few texels, never the vertex data.
 */
import type { Regl, Texture2D } from 'regl';

export interface SlotStyle {
  rgba: readonly [number, number, number, number];
  /** device px */
  width: number;
  visible: boolean;
  /** [on, off] device px; null: solid */
  dash?: readonly [number, number] | null;
}

const ROW = 2048; // texels per row: 1024 slots

export class StyleTexture {
  readonly texture: Texture2D;
  readonly size: [number, number] = [ROW, 1];

  constructor(regl: Regl) {
    this.texture = regl.texture({ width: ROW, height: 1, type: 'float', format: 'rgba' });
  }

  update(styles: readonly SlotStyle[]): void {
    const rows = Math.max(1, Math.ceil((2 * styles.length) / ROW));
    const data = new Float32Array(ROW * rows * 4);
    styles.forEach((s, slot) => {
      data.set(s.rgba, 8 * slot);
      data[8 * slot + 4] = s.width;
      data[8 * slot + 5] = s.visible ? 1 : 0;
      if (s.dash) {
        data[8 * slot + 6] = s.dash[0];
        data[8 * slot + 7] = s.dash[1];
      }
    });
    this.size[1] = rows;
    this.texture({ width: ROW, height: rows, type: 'float', format: 'rgba', data, min: 'nearest', mag: 'nearest' });
  }

  destroy(): void {
    this.texture.destroy();
  }
}
