/**
 * One WebGL context for every chart of the page. Browsers keep about 16 live contexts per page,
 * and Aim-style "group by chart" makes dozens of charts, so each chart renders into this shared,
 * off-DOM canvas and copies its plot into its own 2D canvas (drawImage) in the same task, before
 * the drawing buffer is cleared. Commands are compiled once per context and shared.
 *
 * The context lives as long as the page (creating and losing contexts as charts come and go
 * would churn the browser's context limit). When the browser loses it, charts keep the picture
 * they have; when it comes back, regl recreates its objects (empty, same sizes) and every chart
 * refills them from the data the worker still holds.
 */
import createREGL from 'regl';
import type { Regl } from 'regl';

export interface SharedGL {
  readonly regl: Regl;
  readonly canvas: HTMLCanvasElement;
  readonly gl: WebGLRenderingContext;
  /** per-context cache for compiled commands and other shared resources */
  readonly cache: Map<string, unknown>;
  /** true between a context loss and its restoration: nothing can be drawn */
  lost: boolean;
  /** taken at creation: getExtension answers null while the context is lost */
  readonly loseExt: WEBGL_lose_context | null;
}

export interface ContextUser {
  lost(): void;
  restored(): void;
}

let shared: SharedGL | null = null;
const users = new Set<ContextUser>();

function makeRegl(gl: WebGLRenderingContext): Regl {
  return createREGL({
    gl,
    // only what is used: each extension is a synchronous round trip to the GPU process
    extensions: ['OES_texture_float', 'OES_element_index_uint'],
    optionalExtensions: ['WEBGL_color_buffer_float'],
  });
}

/** The page's shared context has been made (a chart holds it). */
export function sharedGLMade(): boolean {
  return shared !== null;
}

export function acquireGL(user: ContextUser): SharedGL {
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
    const g: SharedGL = { regl: makeRegl(gl), canvas, gl, cache: new Map(), lost: false, loseExt: gl.getExtension('WEBGL_lose_context') };
    canvas.addEventListener('webglcontextlost', (e) => {
      e.preventDefault(); // ask for the context back
      g.lost = true;
      for (const u of users) u.lost();
    });
    // regl listens too (registered first, so it has recreated its objects when this runs)
    canvas.addEventListener('webglcontextrestored', () => {
      g.lost = false;
      for (const v of g.cache.values()) (v as { restored?(): void }).restored?.();
      for (const u of users) u.restored();
    });
    shared = g;
  }
  users.add(user);
  return shared;
}

export function releaseGL(user: ContextUser): void {
  users.delete(user);
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

/**
 * Diagnostics of the shared context: live GPU resources (to check that destroyed charts free
 * theirs) and a way to make the browser lose and restore the context (to test recovery).
 */
export function gpuDiagnostics() {
  const g = shared;
  const ext = g?.loseExt ?? null;
  const stats = g?.regl.stats;
  return {
    charts: users.size,
    buffers: stats?.bufferCount ?? 0,
    elements: stats?.elementsCount ?? 0,
    textures: stats?.textureCount ?? 0,
    framebuffers: stats?.framebufferCount ?? 0,
    loseContext: () => ext?.loseContext(),
    restoreContext: () => ext?.restoreContext(),
  };
}
