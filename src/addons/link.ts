/**
 * Linked charts (Aim's subplots of one metric group): zooming x on one zooms x on all, and a
 * hover on one shows the crosshair and tooltip at the same step on all.
 */
import type { Chart } from '../chart/types';

export function linkCharts(charts: readonly Chart[], options: { x?: boolean; hover?: boolean } = {}): () => void {
  const { x = true, hover = true } = options;
  let syncing = false; // the updates this link makes must not echo back through it
  const off: (() => void)[] = [];
  for (const c of charts) {
    if (x) {
      off.push(
        c.on('view', (v) => {
          if (syncing) return;
          syncing = true;
          try {
            for (const other of charts) if (other !== c) other.update({ xDomain: v.xDomain });
          } finally {
            syncing = false;
          }
        }),
      );
    }
    if (hover) {
      off.push(
        c.on('hover', (h) => {
          for (const other of charts) if (other !== c) other.showHover(h ? h.x : null);
        }),
      );
    }
  }
  return () => off.forEach((f) => f());
}
