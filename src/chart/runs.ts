/**
 * The chart's runs as the main thread knows them (the points are in the worker): slot, label,
 * colour, stroke and x columns per id, which are hidden, which is highlighted, and the style of
 * every GPU slot that follows from those.
 */
import { cssColor, parseColor, tableau10, type RGBA } from '../draw/color';
import { DIM_ALPHA, FAINT_ALPHA, bandStyle, rawStyle, smoothedStyle } from '../draw/emphasis';
import type { SlotStyle } from '../gpu/styles';
import type { RunInfo } from '../interact/hover';
import type { SeriesInput } from '../data/validate';
import type { AggregateRequest, AggregateSpec } from '../protocol/messages';

export interface Run {
  id: string;
  slot: number;
  label: string;
  rgba: RGBA;
  /** CSS px */
  width: number;
  /** [on, off] CSS px, or null for solid */
  dash: [number, number] | null;
  /** names of the series' extra x columns, sorted */
  columns: readonly string[];
  /** the source's URL for a series whose points stay on a server, else null */
  source: string | null;
  /** its group (SeriesInput.group), or null */
  group: string | null;
}

/** A group of runs: its name and members in slot order; drawn in its first member's colour. */
export interface Group {
  name: string;
  members: Run[];
}

export class Runs {
  private byId = new Map<string, Run>();
  /** ids of hidden runs; ids not (yet) among the runs are kept: a bookmark may come before its data */
  private hiddenIds = new Set<string>();
  /** the runs drawn at full strength while the others are dimmed */
  private lit = new Set<string>();
  /** the groups of the runs, made by replace() (read every commit) */
  private grouped: Group[] = [];
  /** ids of the runs some group is aggregated from (drawn faint or not at all while aggregating) */
  private grouping = new Set<string>();

  /** The highlight as one key (the ids, in order), null without one: what a drawn view compares. */
  get highlighted(): string | null {
    return this.lit.size ? [...this.lit].join('\n') : null;
  }

  /** Highlight these runs (ids among the runs), or none; whether that changed anything. */
  setHighlight(ids: readonly string[]): boolean {
    const next = new Set(ids);
    const now = [...this.lit];
    if (next.size === now.length && [...next].every((id, i) => id === now[i])) return false;
    this.lit = next;
    return true;
  }

  /** Replace the runs with checked series; `columns[i]` are series i's extra x column names. */
  replace(series: readonly SeriesInput[], columns: readonly string[][]): void {
    const runs = new Map<string, Run>();
    series.forEach((s, slot) => {
      runs.set(s.id, {
        id: s.id,
        slot,
        label: s.label ?? s.id,
        rgba: parseColor(s.color ?? tableau10[slot % tableau10.length])!,
        width: s.width ?? 1.5,
        dash: s.dash && s.dash.length >= 2 ? [s.dash[0], s.dash[1]] : null,
        columns: columns[slot],
        source: s.source ? s.source.url : null,
        group: s.group ?? null,
      });
    });
    this.byId = runs;
    const by = new Map<string, Group>();
    for (const r of runs.values()) {
      if (r.group === null) continue;
      const g = by.get(r.group);
      if (g) g.members.push(r);
      else by.set(r.group, { name: r.group, members: [r] });
    }
    // a group is aggregated where its points are (docs/semantics.md, Aggregation): by the worker
    // when some run is held in the page (over those), else by the server of its first run (over
    // its runs there); a run of the group held elsewhere is drawn as a run of its own
    for (const g of by.values()) {
      const place = g.members.some((r) => r.source === null) ? null : g.members[0].source;
      g.members = g.members.filter((r) => r.source === place);
    }
    this.grouped = [...by.values()];
    this.grouping = new Set(this.grouped.flatMap((g) => g.members.map((r) => r.id)));
    for (const id of this.hiddenIds) if (!runs.has(id)) this.hiddenIds.delete(id);
    for (const id of this.lit) if (!runs.has(id)) this.lit.delete(id);
  }

  get(id: string): Run | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Some run's points stay on a server (its view is that server's answer). */
  get anySource(): boolean {
    for (const r of this.byId.values()) if (r.source !== null) return true;
    return false;
  }

  /** Each run by its slot. */
  bySlot(): Map<number, Run> {
    return new Map([...this.byId.values()].map((r) => [r.slot, r]));
  }

  /** id, label and CSS colour per run, in slot order: what legends show. */
  info(): RunInfo[] {
    return [...this.byId.values()].map((r) => ({ id: r.id, label: r.label, color: cssColor(r.rgba), ...(this.grouping.has(r.id) ? { group: r.group! } : {}) }));
  }

  isHidden(id: string): boolean {
    return this.hiddenIds.has(id);
  }

  /** Hide or show; returns whether anything changed. Any id may be hidden (see hiddenIds). */
  setHidden(id: string, hidden: boolean): boolean {
    if (hidden === this.hiddenIds.has(id)) return false;
    if (hidden) this.hiddenIds.add(id);
    else this.hiddenIds.delete(id);
    return true;
  }

  hidden(): string[] {
    return [...this.hiddenIds];
  }

  /** Slots of the hidden runs: what the worker leaves out of the view and its auto range. */
  hiddenSlots(): number[] {
    const out: number[] = [];
    for (const id of this.hiddenIds) {
      const r = this.byId.get(id);
      if (r) out.push(r.slot);
    }
    return out;
  }

  /**
   * The style of every GPU slot at `dpr`: slots [0, S) the raw curves (faint behind a smoothed
   * curve), [S, 2S) the smoothed curves; with `aggregate` and groups, [2S, 2S + G) the groups'
   * lines and [2S + G, 2S + 2G) their bands, and the grouped runs faint (or not drawn). A
   * highlight dims the other runs: a style change, no new geometry.
   */
  slotStyles(smoothing: boolean, dpr: number, aggregate: AggregateSpec | null = null): SlotStyle[] {
    const runs = [...this.byId.values()];
    const groups = aggregate ? this.groups() : [];
    const dim = (r: Run) => (this.lit.size && !this.lit.has(r.id) ? DIM_ALPHA : 1) * (groups.length && this.grouping.has(r.id) ? FAINT_ALPHA : 1);
    const shown = (r: Run) => !this.hiddenIds.has(r.id) && !(groups.length && this.grouping.has(r.id) && aggregate!.runs === 'hidden');
    const dash = (r: Run) => (r.dash ? ([r.dash[0] * dpr, r.dash[1] * dpr] as const) : null);
    // source series are smoothed too (by their server): the same faint raw curve behind
    const raw = runs.map((r) => ({
      rgba: rawStyle(r.rgba, smoothing, dim(r)),
      width: r.width * dpr,
      visible: shown(r),
      // a raw curve under a smoothed one stays solid: the smoothed stroke carries the pattern
      dash: smoothing ? null : dash(r),
    }));
    const smoothed = runs.map((r) => ({
      rgba: smoothedStyle(r.rgba, dim(r)),
      width: r.width * dpr,
      visible: shown(r),
      dash: dash(r),
    }));
    // a group in its first run's colour: the line wider than its runs, the band see-through and
    // one device pixel wide (one span a column: the columns tile the area)
    const lines = groups.map((g) => ({ rgba: g.members[0].rgba, width: (g.members[0].width + 1) * dpr, visible: true, dash: null }));
    const bands = groups.map((g) => ({ rgba: bandStyle(g.members[0].rgba), width: 1, visible: aggregate!.band !== 'none', dash: null }));
    return [...raw, ...smoothed, ...lines, ...bands];
  }

  /** The GPU slots of the highlighted runs (raw and smoothed curves); empty without a highlight. */
  litSlots(): number[] {
    const out: number[] = [];
    for (const id of this.lit) {
      const r = this.byId.get(id);
      if (r) out.push(r.slot, this.byId.size + r.slot);
    }
    return out;
  }

  /** The groups of the runs (those with SeriesInput.group), in the order their first run comes. */
  groups(): readonly Group[] {
    return this.grouped;
  }

  /**
   * What the worker aggregates for `spec`: every group with its visible runs (a run hidden in the
   * legend leaves its group), its line at slot 2S + g and its band at 2S + G + g (S runs, G
   * groups); null without groups.
   */
  aggregateRequest(spec: AggregateSpec): AggregateRequest | null {
    const groups = this.groups();
    if (!groups.length) return null;
    const S = this.byId.size, G = groups.length;
    return {
      ...spec,
      groups: groups.map((g, i) => ({
        name: g.name,
        members: g.members.filter((r) => !this.hiddenIds.has(r.id)).map((r) => r.slot),
        line: 2 * S + i,
        band: 2 * S + G + i,
      })),
    };
  }

  /** Every run, hidden ones too, is one device pixel wide at `dpr`. */
  thin(dpr: number): boolean {
    for (const r of this.byId.values()) if (Math.round(r.width * dpr) > 1) return false;
    return true;
  }

  /** Every visible run is opaque and solid: nothing behind it shows through. */
  opaque(): boolean {
    for (const r of this.byId.values()) if (!this.hiddenIds.has(r.id) && (r.rgba[3] < 1 || r.dash)) return false;
    return true;
  }
}
