/**
 * The status line: what is on screen, not what is loaded ("12 of 1,204 series shown · 41,000
 * points"), so a filter that keeps nothing reads as "0 of 1,204", not as all of it.
 */
import type { Board } from './board';

export function statusText(board: Board, total: number): string {
  const shown = board.shown().length;
  const hidden = board.hiddenCount();
  const charts = board.charts.length;
  return (
    `${shown.toLocaleString()} of ${total.toLocaleString()} series shown` +
    (hidden ? ` (${hidden.toLocaleString()} hidden)` : '') +
    ` · ${board.points().toLocaleString()} points · ${charts} chart${charts === 1 ? '' : 's'}`
  );
}
