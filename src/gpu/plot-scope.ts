/**
 * The state every draw into a chart's plot shares, as one scoped regl command: the plot's
 * viewport in the top-left corner of the shared canvas (the chart's drawImage copies from
 * there), premultiplied-alpha "over" blending, no depth test, and the uniforms every line shader
 * reads (the plot's size, the series' style texture). The line renderers draw inside it and set
 * only what is their own.
 */
import type { DrawCommand } from 'regl';
import { cached, type SharedGL } from './context';
import type { StyleTexture } from './styles';

export interface PlotProps {
  /** the plot in device pixels */
  width: number;
  height: number;
  styles: StyleTexture;
}

/** Runs `body` with the plot's state set. */
export type PlotScope = (props: PlotProps, body: () => void) => void;

const premultipliedOver = {
  enable: true,
  func: { srcRGB: 'one', srcAlpha: 'one', dstRGB: 'one minus src alpha', dstAlpha: 'one minus src alpha' },
} as const;

export function plotScope(g: SharedGL): PlotScope {
  return cached(g, 'plot-scope', () => {
    const cmd = g.regl({
      // read at draw time: the shared canvas grows as charts need
      viewport: (_: unknown, p: PlotProps) => ({ x: 0, y: g.canvas.height - p.height, width: p.width, height: p.height }),
      depth: { enable: false },
      blend: premultipliedOver,
      uniforms: {
        plotSize: (_: unknown, p: PlotProps) => [p.width, p.height],
        styles: (_: unknown, p: PlotProps) => p.styles.texture,
        stylesSize: (_: unknown, p: PlotProps) => p.styles.size,
      },
    } as never) as DrawCommand;
    return (props: PlotProps, body: () => void) => cmd(props, body);
  });
}
