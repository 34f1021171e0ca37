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

export function quadElements(g: SharedGL, quads: number): Elements {
  const q = cached<QuadIndex>(g, 'quad-index', () => ({
    elements: null,
    quads: 0,
    restored() {
      this.quads = 0;
    },
  }));
  if (!q.elements || quads > q.quads) {
    const n = Math.max(quads, q.quads * 2, 4096);
    const idx = new Uint32Array(6 * n);
    for (let i = 0; i < n; i++) {
      const v = 4 * i, k = 6 * i;
      idx[k] = v; idx[k + 1] = v + 1; idx[k + 2] = v + 2;
      idx[k + 3] = v + 2; idx[k + 4] = v + 1; idx[k + 5] = v + 3;
    }
    if (q.elements) q.elements({ data: idx, type: 'uint32', primitive: 'triangles' });
    else q.elements = g.regl.elements({ data: idx, type: 'uint32', primitive: 'triangles' });
    q.quads = n;
  }
  return q.elements;
}

/**
 * Index pattern drawing each quad of a column span as one line instead (vertices 0 and 2: the
 * top and bottom of the column): one primitive per column where the lines are one device pixel
 * wide. SwiftShader rasterised 75k such lines in 19 ms against 30 ms as quads (measured here).
 */
export function spanLineElements(g: SharedGL, spans: number): Elements {
  const q = cached<QuadIndex>(g, 'span-line-index', () => ({
    elements: null,
    quads: 0,
    restored() {
      this.quads = 0;
    },
  }));
  if (!q.elements || spans > q.quads) {
    const n = Math.max(spans, q.quads * 2, 4096);
    const idx = new Uint32Array(2 * n);
    for (let i = 0; i < n; i++) {
      idx[2 * i] = 4 * i;
      idx[2 * i + 1] = 4 * i + 2;
    }
    if (q.elements) q.elements({ data: idx, type: 'uint32', primitive: 'lines' });
    else q.elements = g.regl.elements({ data: idx, type: 'uint32', primitive: 'lines' });
    q.quads = n;
  }
  return q.elements;
}
