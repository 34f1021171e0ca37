/**
 * The key of the colour and stroke groupings: which colour (or dash) is which value of the field,
 * with how many runs each holds ("train · 73 runs"). Without it a colour by subset says nothing
 * about which colour is train. Values and field names are text from files: textContent only.
 */
import type { SeriesData } from './model';

export interface KeyGroup {
  value: string;
  runs: number;
}

/** Values of `field` among `shown`, in order of first appearance, with their distinct runs. */
export function keyGroups(shown: readonly SeriesData[], field: string): KeyGroup[] {
  const runs = new Map<string, Set<string>>();
  for (const d of shown) {
    const v = d.fields[field] ?? '–';
    let set = runs.get(v);
    if (!set) runs.set(v, (set = new Set()));
    set.add(d.run);
  }
  return [...runs].map(([value, set]) => ({ value, runs: set.size }));
}

export const runsText = (n: number) => `${n.toLocaleString()} run${n === 1 ? '' : 's'}`;

/** Rows beyond this are summarised: a key of hundreds of values is no key. */
const MAX_ROWS = 12;

/**
 * Render the keys into `host` (emptied first). `color(value)` and `dash(value)` are the boards'
 * palettes, so a swatch is exactly the colour drawn.
 */
export function renderKeys(
  host: HTMLElement,
  shown: readonly SeriesData[],
  colorBy: string | null,
  strokeBy: string | null,
  color: (value: string) => string,
  dash: (value: string) => readonly number[],
): void {
  const parts: HTMLElement[] = [];
  const section = (kind: 'colour' | 'stroke', field: string, sample: (value: string) => HTMLElement) => {
    const box = document.createElement('div');
    box.className = 'key';
    box.dataset.key = kind;
    const title = document.createElement('div');
    title.className = 'label';
    title.textContent = `${kind} by ${field}`;
    box.append(title);
    const groups = keyGroups(shown, field);
    for (const g of groups.slice(0, MAX_ROWS)) {
      const row = document.createElement('div');
      row.className = 'key-row';
      row.dataset.value = g.value;
      const text = document.createElement('span');
      text.textContent = `${g.value} · ${runsText(g.runs)}`;
      row.append(sample(g.value), text);
      box.append(row);
    }
    if (groups.length > MAX_ROWS) {
      const more = document.createElement('div');
      more.className = 'key-row';
      more.textContent = `+ ${groups.length - MAX_ROWS} more values`;
      box.append(more);
    }
    parts.push(box);
  };
  if (colorBy) {
    section('colour', colorBy, (v) => {
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = color(v);
      return sw;
    });
  }
  if (strokeBy) {
    section('stroke', strokeBy, (v) => {
      // a short line with the dash pattern, as the chart strokes it
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('class', 'dash');
      svg.setAttribute('width', '28');
      svg.setAttribute('height', '6');
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      for (const [k, val] of [['x1', '0'], ['y1', '3'], ['x2', '28'], ['y2', '3'], ['stroke', '#555'], ['stroke-width', '2']]) line.setAttribute(k, val);
      const d = dash(v);
      if (d.length) line.setAttribute('stroke-dasharray', d.join(' '));
      svg.append(line);
      return svg as unknown as HTMLElement;
    });
  }
  host.replaceChildren(...parts);
}
