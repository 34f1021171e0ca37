/**
 * Hover: the cursor's data x goes to the worker (nearest point of every visible run, by binary
 * search there, never a scan here); its answer moves the DOM crosshair and tooltip (no repaint)
 * and highlights the nearest run. One ask is in flight at a time, the latest cursor waits, and
 * an answer for a view no longer shown is dropped.
 */
import { axisMap, project, unproject } from '../coords';
import { hoverPoints, type HoverInfo } from '../interact/hover';
import { hoverFormat } from '../interact/hoverformat';
import type { HoverLayer } from '../interact/layer';
import type { ChartOptions, ChartOptionsInput } from '../options';
import type { HoverReply, ToWorker } from '../protocol/messages';
import { smoothingOn } from '../smooth/params';
import { cssColor } from '../draw/color';
import { Replies } from './replies';
import type { Runs } from './runs';
import type { FrameInfo } from './types';

export interface HoverHost {
  readonly chart: number;
  options(): Readonly<ChartOptions>;
  post(msg: ToWorker): void;
  /**
   * smoothed values of GPU-smoothed points (slot, index), `others` where a slot's points are not
   * on the GPU (a source series: its server's value); null when no points are on the GPU
   */
  gpuSmoothed(slots: ArrayLike<number>, index: ArrayLike<number>, others: ArrayLike<number>): ArrayLike<number> | null;
  highlight(id: string | null): void;
  hovered(info: HoverInfo | null): void;
}

/** The frames on screen (the scheduler). */
export interface Frames {
  readonly onScreen: FrameInfo | null;
  rendered(): Promise<FrameInfo>;
}

/** A hover highlights the nearest run when the cursor is within this many CSS px of it. */
const HIGHLIGHT_PX = 40;

/** Options whose change moves or redraws the view under a tooltip. */
const VIEW_KEYS = ['xDomain', 'yDomain', 'xScale', 'yScale', 'xColumn', 'xFormat', 'smoothing', 'ignoreOutliers'] as const;

export class Hover {
  /** one hover request in flight at a time; the latest cursor waits */
  private busy = false;
  private next: { x: number; y: number } | null = null;
  /** bumped by every hover ask, leave and view change: an answer for an older one is dropped */
  private gen = 0;
  /** the cursor over the plot (CSS px), null once it left or a drag began */
  private cursor: { x: number; y: number } | null = null;
  /** data x per CSS px at the last hover: the header's precision */
  private pixelSpan = 0;
  private destroyed = false;
  private replies = new Replies<HoverReply>();

  constructor(
    private host: HoverHost,
    private frames: Frames,
    private runs: Runs,
    private layer: HoverLayer,
  ) {}

  /** hoverAt: the nearest points at data x, for a caller. */
  at(x: number, yFrac: number | null): Promise<HoverInfo> {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`hoverAt needs a finite data x, got ${String(x)}`);
    if (yFrac !== null && (typeof yFrac !== 'number' || !Number.isFinite(yFrac))) {
      throw new RangeError(`hoverAt yFrac must be a finite fraction of the plot height or null, got ${String(yFrac)}`);
    }
    return this.nearest(x, yFrac);
  }

  /** showHover: crosshair and tooltip at data x (a linked chart's hover); null hides them. */
  show(x: number | null): void {
    if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) throw new RangeError(`showHover needs a finite data x or null, got ${JSON.stringify(x) ?? String(x)}`);
    const f = this.frames.onScreen;
    const gen = ++this.gen;
    if (!f || x === null) {
      this.layer.hide();
      return;
    }
    const px = project(axisMap(this.host.options().xScale, f.xDomain, [f.plot.left, f.plot.left + f.plot.width]), x);
    this.nearest(x, null).then(
      (info) => {
        if (this.destroyed || gen !== this.gen) return; // a later hover, leave or view change won
        const g = this.frames.onScreen ?? f;
        this.layer.crosshair(g.plot, px);
        this.layer.tooltip(info, { x: px, y: g.plot.top + 8 }, this.format(), smoothingOn(this.host.options().smoothing));
      },
      () => {},
    );
  }

  /** The cursor moved over the chart: ask the worker, then move the DOM layer (no repaint). */
  move(cssX: number, cssY: number): void {
    const f = this.frames.onScreen;
    if (!f) return;
    const { plot } = f;
    if (cssX < plot.left || cssX > plot.left + plot.width || cssY < plot.top || cssY > plot.top + plot.height) {
      this.leave();
      return;
    }
    this.cursor = { x: cssX, y: cssY };
    if (this.busy) {
      this.next = { x: cssX, y: cssY };
      return;
    }
    this.busy = true;
    const gen = ++this.gen;
    const xmap = axisMap(this.host.options().xScale, f.xDomain, [plot.left, plot.left + plot.width]);
    const x = unproject(xmap, cssX);
    this.pixelSpan = Math.abs(unproject(xmap, cssX + 1) - x);
    this.nearest(x, (cssY - plot.top) / plot.height)
      .then((info) => {
        // a leave, a drag or a view change since the ask: this answer is for a view not shown
        if (this.destroyed || gen !== this.gen) return;
        this.layer.crosshair(plot, cssX);
        this.layer.tooltip(info, { x: cssX, y: cssY }, this.format(), smoothingOn(this.host.options().smoothing));
        const nearest = info.points[0];
        this.host.highlight(nearest && nearest.inRange && nearest.distance < HIGHLIGHT_PX ? nearest.id : null);
        this.host.hovered(info);
      })
      .catch(() => {})
      .finally(() => {
        this.busy = false;
        const next = this.next;
        this.next = null;
        if (next && !this.destroyed) this.move(next.x, next.y);
      });
  }

  /** The cursor left the plot, or a drag began. */
  leave(): void {
    this.next = null;
    this.cursor = null;
    this.gen++;
    this.layer.hide();
    if (this.runs.highlighted) this.host.highlight(null);
    this.host.hovered(null);
  }

  /**
   * Options changed (update, setState, wheel, pan, box, reset, key, a linked chart): when they
   * move the view, what the tooltip says is for the old view. Hide it now, and with the cursor
   * still over the chart (a wheel zoom) ask again once the new view is drawn.
   */
  optionsChanged(patch: ChartOptionsInput): void {
    if (!VIEW_KEYS.some((k) => k in patch && (patch as Record<string, unknown>)[k] !== undefined)) return;
    this.gen++;
    this.next = null;
    this.layer.hideTooltip();
    const at = this.cursor;
    if (!at) return;
    const gen = this.gen;
    this.frames.rendered().then(
      () => {
        if (!this.destroyed && gen === this.gen && this.cursor === at) this.move(at.x, at.y);
      },
      () => {},
    );
  }

  /** The worker's answer to an ask. */
  answer(m: HoverReply): void {
    this.replies.answer(m.seq, m);
  }

  destroy(): void {
    this.destroyed = true;
    this.replies.rejectAll(new Error('chart destroyed'));
  }

  private async nearest(x: number, yFrac: number | null): Promise<HoverInfo> {
    const f = await this.frames.rendered();
    const o = this.host.options();
    const smoothing = smoothingOn(o.smoothing);
    const { chart } = this.host;
    const spec = o.aggregate && f.groups > 0 ? o.aggregate : null;
    const aggregate = spec ? this.runs.aggregateRequest(spec) : null;
    const reply = await this.replies.ask((seq) =>
      this.host.post({
        type: 'hover', chart, seq, x, xColumn: o.xColumn, xScale: o.xScale, hidden: this.runs.hiddenSlots(),
        smoothing: smoothing && f.smoothing === 'cpu' ? o.smoothing : null,
        // source series are smoothed on their server, whatever the held ones' backend
        sourceSmoothing: smoothing ? o.smoothing : null,
        ...(aggregate ? { aggregate, yScale: o.yScale } : {}),
      }),
    );
    let smoothed: ArrayLike<number> = reply.smoothed;
    if (smoothing && f.smoothing === 'gpu') {
      // the held series' smoothed values live on the GPU: read just these few
      smoothed = this.host.gpuSmoothed(reply.slots, reply.index, reply.smoothed) ?? smoothed;
    }
    const bySlot = this.runs.bySlot();
    const info = hoverPoints({ ...reply, smoothed }, (slot) => {
      const m = bySlot.get(slot);
      return m && { id: m.id, label: m.label, color: cssColor(m.rgba) };
    }, smoothing, { x, yFrac, yScale: o.yScale, yDomain: f.yDomain, height: f.plot.height, xScale: o.xScale, xDomain: f.xDomain, width: f.plot.width });
    if (spec && reply.groups) {
      const colors = new Map(this.runs.groups().map((g) => [g.name, cssColor(g.members[0].rgba)]));
      info.groups = reply.groups.map((g) => ({
        name: g.name, color: colors.get(g.name) ?? '#000', x: g.x, line: g.line, low: g.low, high: g.high, n: g.n,
        smoothed: smoothing ? g.smoothed : null, stat: spec.line, band: spec.band,
      }));
    }
    return info;
  }

  private format() {
    return hoverFormat(this.host.options(), this.pixelSpan);
  }
}
