/**
 * The explorer's layout: charts sized to the window (one chart fills the main area; a grid of
 * subplots shares its height, each at least MIN_HEIGHT tall, the rest scrolls), and the side
 * panels' collapse buttons, their state kept across reloads (a layout preference, not part of
 * the bookmarked view).
 */

export const MIN_HEIGHT = 240;
export const MIN_WIDTH = 420;
/** the grid's gap and a cell's title, as chartGrid draws them */
const GAP = 12;
const TITLE = 20;

/** Columns the grid's `repeat(auto-fit, minmax(w, 1fr))` makes at `width`. */
export function columnsFor(width: number, n: number, minWidth: number): number {
  return Math.max(1, Math.min(n, Math.floor((width + GAP) / (minWidth + GAP))));
}

/** CSS px height of each chart for n charts in an area `width` x `height`. */
export function chartHeight(n: number, width: number, height: number, minWidth = Math.min(MIN_WIDTH, width)): number {
  const rows = Math.ceil(n / columnsFor(width, n, minWidth));
  const each = Math.floor((height - GAP * (rows - 1)) / rows) - TITLE;
  return Math.max(n > 1 ? MIN_HEIGHT : 160, each);
}

const KEY = 'metricgl-explorer-panels';
type Panels = { side: boolean; legend: boolean };

/** Wire the collapse buttons: `body.side-collapsed` / `body.legend-collapsed` hide the panels. */
export function panelToggles(sideButton: HTMLButtonElement, legendButton: HTMLButtonElement): void {
  let panels: Panels = { side: false, legend: false };
  try {
    panels = { ...panels, ...JSON.parse(localStorage.getItem(KEY) ?? '{}') };
  } catch {
    // a malformed saved state: both panels open
  }
  const apply = () => {
    document.body.classList.toggle('side-collapsed', panels.side);
    document.body.classList.toggle('legend-collapsed', panels.legend);
    sideButton.textContent = panels.side ? '» controls' : '« controls';
    legendButton.textContent = panels.legend ? 'runs «' : 'runs »';
    sideButton.setAttribute('aria-expanded', String(!panels.side));
    legendButton.setAttribute('aria-expanded', String(!panels.legend));
    sideButton.title = panels.side ? 'show the controls' : 'hide the controls';
    legendButton.title = panels.legend ? 'show the runs' : 'hide the runs';
  };
  const toggle = (which: keyof Panels) => {
    panels = { ...panels, [which]: !panels[which] };
    localStorage.setItem(KEY, JSON.stringify(panels));
    apply();
  };
  sideButton.onclick = () => toggle('side');
  legendButton.onclick = () => toggle('legend');
  apply();
}
