/**
 * The chart's DOM: a root element filling the container, its canvas, and the size they follow.
 * Everything is styled inline on our own elements: no global CSS, nothing on the container.
 */
export class Surface {
  readonly root: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  /** device pixels per CSS pixel of the last commit */
  dpr = 1;
  /** toPNG in progress: the device pixel ratio to render at (0: the screen's) */
  exportDpr = 0;
  /** container size (CSS px) of the last commit */
  private cssSize: [number, number] = [0, 0];
  private observer: ResizeObserver;

  constructor(container: HTMLElement, resized: () => void) {
    this.root = document.createElement('div');
    this.root.style.cssText = 'position:relative;width:100%;height:100%;min-height:150px;overflow:hidden';
    this.canvas = document.createElement('canvas');
    this.canvas.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:100%;display:block';
    this.root.appendChild(this.canvas);
    // focusable for the keyboard (+ / - / arrows / 0), without a focus ring drawn over the plot
    this.root.tabIndex = 0;
    this.root.style.outline = 'none';
    this.root.style.touchAction = 'none';
    container.appendChild(this.root);
    this.ctx = this.canvas.getContext('2d')!;
    // ResizeObserver also reports the initial size; only a real change needs a new frame
    this.observer = new ResizeObserver(() => {
      if (this.width !== this.cssSize[0] || this.height !== this.cssSize[1]) resized();
    });
    this.observer.observe(this.root);
  }

  /** CSS px */
  get width(): number {
    return this.root.clientWidth;
  }

  get height(): number {
    return this.root.clientHeight;
  }

  /** Size the canvas to the container at the pixel ratio of this commit; true when its pixels changed. */
  fit(): boolean {
    const cssW = this.width, cssH = this.height;
    this.cssSize = [cssW, cssH];
    this.dpr = this.exportDpr || window.devicePixelRatio || 1;
    const pw = Math.round(cssW * this.dpr), ph = Math.round(cssH * this.dpr);
    if (this.canvas.width === pw && this.canvas.height === ph) return false;
    this.canvas.width = pw;
    this.canvas.height = ph;
    return true;
  }

  destroy(): void {
    this.observer.disconnect();
    this.root.remove();
  }
}
