/**
 * A subplot grid for "group by chart": n cells in a CSS grid inside the container, as many
 * columns as fit at `minWidth`, each `height` tall with a title. Returns the cells' chart
 * containers; create a chart in each (they share one WebGL context and one worker).
 */
export interface GridOptions {
  /** fixed number of columns; default: as many as fit at minWidth */
  columns?: number;
  /** CSS px */
  minWidth?: number;
  /** CSS px per chart */
  height?: number;
}

export interface GridCell {
  /** the cell, title included */
  cell: HTMLElement;
  /** the element to create the chart in */
  chart: HTMLElement;
  title: HTMLElement;
}

export function chartGrid(container: HTMLElement, titles: readonly string[], options: GridOptions = {}): GridCell[] {
  const { columns, minWidth = 320, height = 240 } = options;
  const grid = document.createElement('div');
  grid.className = 'metricgl-grid';
  // min(…, 100%): a column never outgrows the container, so a window made narrower than
  // minWidth shrinks the chart instead of pushing it under whatever is beside the grid
  grid.style.cssText =
    'display:grid;gap:12px;' +
    `grid-template-columns:${columns ? `repeat(${columns}, minmax(0, 1fr))` : `repeat(auto-fit, minmax(min(${minWidth}px, 100%), 1fr))`};`;
  const cells = titles.map((t) => {
    const cell = document.createElement('div');
    cell.style.cssText = 'display:flex;flex-direction:column;min-width:0';
    const title = document.createElement('div');
    title.textContent = t;
    title.style.cssText = 'font:600 12px system-ui,sans-serif;color:#333;padding:0 0 4px 4px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap';
    const chart = document.createElement('div');
    chart.style.cssText = `height:${height}px;min-width:0`;
    cell.append(title, chart);
    grid.append(cell);
    return { cell, chart, title };
  });
  container.append(grid);
  return cells;
}
