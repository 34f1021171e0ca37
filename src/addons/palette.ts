/**
 * Aim-style grouping: colour by a key, stroke style by a key. A palette hands out its values in
 * the order keys are first seen and remembers them, so one key keeps its colour (or dash) across
 * charts and redraws; share one palette between the charts of a page.
 */

import { tableau10 } from '../draw/color';

// the chart's default run colours, where a colour palette starts
export { tableau10 };

/** Stroke patterns, [on, off] in CSS px; [] is solid. */
export const dashPatterns: readonly (readonly number[])[] = [[], [6, 4], [2, 3], [10, 3], [4, 2], [1, 4]];

export class Palette<T> {
  private assigned = new Map<string, T>();

  constructor(private readonly values: readonly T[]) {
    if (values.length === 0) throw new RangeError('a palette needs at least one value');
  }

  /** The value for a key: the next unused one the first time, the same one after. */
  get(key: string): T {
    let v = this.assigned.get(key);
    if (v === undefined) {
      v = this.values[this.assigned.size % this.values.length];
      this.assigned.set(key, v);
    }
    return v;
  }

  /** Keys seen so far, in order (a legend of the grouping). */
  keys(): string[] {
    return [...this.assigned.keys()];
  }
}

export function colorPalette(colors: readonly string[] = tableau10): Palette<string> {
  return new Palette(colors);
}

export function dashPalette(patterns: readonly (readonly number[])[] = dashPatterns): Palette<readonly number[]> {
  return new Palette(patterns);
}

/** Items grouped by a key, groups in order of first appearance (Aim's "group by chart"). */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(item);
  }
  return groups;
}
