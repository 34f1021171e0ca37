/**
 * CSS colour strings to straight RGBA in [0, 1]. Hex forms are parsed directly; anything else
 * ('steelblue', 'rgb(...)', 'hsl(...)') goes through a Canvas2D fillStyle, which normalises
 * every CSS colour the browser knows and rejects the rest.
 */
export type RGBA = [number, number, number, number];

let probe: CanvasRenderingContext2D | null = null;

export function parseColor(css: string): RGBA | null {
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(css.trim());
  if (hex) return fromHex(hex[1]);
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return null;
  // fillStyle ignores invalid values: set two different sentinels and see if css overrides both
  probe.fillStyle = '#000000';
  probe.fillStyle = css;
  const a = String(probe.fillStyle);
  probe.fillStyle = '#ffffff';
  probe.fillStyle = css;
  const b = String(probe.fillStyle);
  if (a !== b) return null;
  if (a.startsWith('#')) return fromHex(a.slice(1));
  const m = /^rgba?\(([^)]+)\)$/.exec(a);
  if (!m) return null;
  const [r, g, bl, al = '1'] = m[1].split(',').map((s) => s.trim());
  return [+r / 255, +g / 255, +bl / 255, +al];
}

function fromHex(h: string): RGBA {
  if (h.length <= 4) h = [...h].map((c) => c + c).join('');
  const v = (i: number) => parseInt(h.slice(i, i + 2), 16) / 255;
  return [v(0), v(2), v(4), h.length === 8 ? v(6) : 1];
}

/** The colour as CSS `rgba(...)`: what legends and tooltips show for a run. */
export function cssColor(c: RGBA): string {
  return `rgba(${Math.round(c[0] * 255)}, ${Math.round(c[1] * 255)}, ${Math.round(c[2] * 255)}, ${c[3]})`;
}

/**
 * Tableau 10: distinct, colour-blind-aware, the categorical default of many plotting tools. A
 * run without a colour gets the one of its position; the palettes of the add-ons start from it.
 */
export const tableau10 = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
] as const;
