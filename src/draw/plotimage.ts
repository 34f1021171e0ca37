/**
 * Draws a frame's plot image (protocol PlotImage, made by decimate/plotimage.ts in the worker):
 * one quad over the plot, one texel per device pixel. A slot image is coloured from the slots'
 * style texture (so a highlight's dimming applies), a density image through the density ramp.
 * Drawn first inside the plot scope, under the spans and segments (the highlighted runs).
 */
import type { DrawCommand, Regl, Texture2D } from 'regl';
import { cached, type SharedGL } from '../gpu/context';
import { shaders } from '../gpu/shaders';
import type { PlotImage } from '../protocol/messages';
import { densityRamp } from './ramp';

interface ImageProps {
  image: Texture2D;
}

function commands(regl: Regl) {
  const corners = regl.buffer(new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]));
  const common = {
    vert: shaders.imageVert,
    attributes: { corner: corners },
    primitive: 'triangle strip',
    count: 4,
  };
  const slots = regl<{}, {}, ImageProps>({
    ...common,
    frag: shaders.slotsFrag,
    uniforms: { image: (_: unknown, p: ImageProps) => p.image },
  } as never) as DrawCommand;
  const ramp = regl.texture({ width: 256, height: 1, data: densityRamp(), format: 'rgba', min: 'nearest', mag: 'nearest' });
  const density = regl<{}, {}, ImageProps>({
    ...common,
    frag: shaders.densityFrag,
    uniforms: { image: (_: unknown, p: ImageProps) => p.image, ramp },
  } as never) as DrawCommand;
  return { slots, density };
}

export class PlotImageRenderer {
  private cmd: ReturnType<typeof commands>;
  private texture: Texture2D;
  private kind: PlotImage['kind'] | null = null;
  private size: [number, number] = [0, 0];
  private readonly props: ImageProps;

  constructor(g: SharedGL) {
    this.cmd = cached(g, 'plot-image', () => commands(g.regl));
    this.texture = g.regl.texture({ width: 1, height: 1 });
    this.props = { image: this.texture };
  }

  /** Take a frame's image, or none (the frame draws only lines). */
  upload(image: PlotImage | undefined): void {
    if (!image) {
      this.kind = null;
      return;
    }
    this.kind = image.kind;
    const opts = { width: image.width, height: image.height, data: image.data, format: 'rgba', min: 'nearest', mag: 'nearest' } as const;
    if (this.size[0] === image.width && this.size[1] === image.height) this.texture.subimage(image.data);
    else this.texture(opts);
    this.size = [image.width, image.height];
  }

  /** Inside the plot scope: the quad, if the frame has an image. Returns the primitives drawn. */
  draw(): number {
    if (!this.kind) return 0;
    (this.kind === 'slots' ? this.cmd.slots : this.cmd.density)(this.props);
    return 2;
  }

  destroy(): void {
    this.texture.destroy();
  }
}
