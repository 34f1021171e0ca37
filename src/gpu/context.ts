/**
 * One WebGL context for every chart of the page. Browsers keep about 16 live contexts per page,
 * and Aim-style "group by chart" makes dozens of charts, so each chart renders into this shared,
 * off-DOM canvas and copies its plot into its own 2D canvas (drawImage) in the same task, before
 * the drawing buffer is cleared. Commands are compiled once per context and shared.
 */
import createREGL from 'regl';
import type { Regl } from 'regl';

export interface SharedGL {
  readonly regl: Regl;
  readonly canvas: HTMLCanvasElement;
  readonly gl: WebGLRenderingContext;
  /** per-context cache for compiled commands and other shared resources */
  readonly cache: Map<string, unknown>;
}

let shared: SharedGL | null = null;
let users = 0;

export function acquireGL(): SharedGL {
  if (!shared) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const gl = canvas.getContext('webgl', {
      alpha: true,
      premultipliedAlpha: true,
      antialias: false, // crisp, deterministic one-pixel columns; lines are drawn as quads
      depth: false,
      stencil: false,
      preserveDrawingBuffer: false,
      powerPreference: 'high-performance',
    });
    if (!gl) throw new Error('metricgl: WebGL is not available in this browser');
    const regl = createREGL({
      gl,
      extensions: ['ANGLE_instanced_arrays', 'OES_texture_float'],
      optionalExtensions: ['OES_element_index_uint', 'WEBGL_color_buffer_float', 'OES_texture_float_linear'],
    });
    shared = { regl, canvas, gl, cache: new Map() };
  }
  users++;
  return shared;
}

export function releaseGL(g: SharedGL): void {
  if (g !== shared) return;
  if (--users === 0) {
    shared.regl.destroy();
    shared.gl.getExtension('WEBGL_lose_context')?.loseContext();
    shared = null;
  }
}

/** Grow (never shrink) the shared canvas to hold a w x h device-pixel plot. */
export function ensureSize(g: SharedGL, w: number, h: number): void {
  const c = g.canvas;
  if (c.width < w || c.height < h) {
    c.width = Math.max(c.width, w);
    c.height = Math.max(c.height, h);
    g.regl.poll(); // let regl see the new drawing-buffer size
  }
}

/** Compile once per context. */
export function cached<T>(g: SharedGL, key: string, make: () => T): T {
  let v = g.cache.get(key) as T | undefined;
  if (v === undefined) g.cache.set(key, (v = make()));
  return v;
}
