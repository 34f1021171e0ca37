/**
 * The index pattern of quads drawn as plain vertices (4 per quad: 0 1 2, 2 1 3), shared by every
 * chart of the context and grown by doubling: built on the main thread once per growth, never
 * per frame.
 */
import type { Elements } from 'regl';
import { cached, type SharedGL } from './context';

interface QuadIndex {
  elements: Elements | null;
  quads: number;
  /** a restored context has the buffer back empty: fill it again on next use */
  restored(): void;
}

/** Quad i's indices are 4 * i + each of `pattern`; grown by doubling. */
function patternElements(g: SharedGL, key: string, quads: number, primitive: 'triangles' | 'lines', pattern: readonly number[]): Elements {
  const q = cached<QuadIndex>(g, key, () => ({
    elements: null,
    quads: 0,
    restored() {
      this.quads = 0;
    },
  }));
  if (!q.elements || quads > q.quads) {
    const n = Math.max(quads, q.quads * 2, 4096);
    const per = pattern.length;
    const idx = new Uint32Array(per * n);
    for (let i = 0, k = 0; i < n; i++) for (let j = 0; j < per; j++) idx[k++] = 4 * i + pattern[j];
    if (q.elements) q.elements({ data: idx, type: 'uint32', primitive });
    else q.elements = g.regl.elements({ data: idx, type: 'uint32', primitive });
    q.quads = n;
  }
  return q.elements;
}

export function quadElements(g: SharedGL, quads: number): Elements {
  return patternElements(g, 'quad-index', quads, 'triangles', [0, 1, 2, 2, 1, 3]);
}

/**
 * Index pattern drawing each quad of a column span as one line instead (vertices 0 and 2: the
 * top and bottom of the column): one primitive per column where the lines are one device pixel
 * wide. SwiftShader rasterised 75k such lines in 19 ms against 30 ms as quads (measured here).
 */
export function spanLineElements(g: SharedGL, spans: number): Elements {
  return patternElements(g, 'span-line-index', spans, 'lines', [0, 2]);
}

/**
 * The same for segments (vertices 0 and 1: its two ends), where every line is one device pixel
 * wide: one GL line per segment instead of two triangles.
 */
export function segmentLineElements(g: SharedGL, segments: number): Elements {
  return patternElements(g, 'segment-line-index', segments, 'lines', [0, 1]);
}
