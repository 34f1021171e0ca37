/**
 * The series list a server answers from: every series with its fields, counts, x columns and
 * extents, kept in memory (thousands of series, not billions of points) and refreshed after each
 * ingest. Extents are recomputed only for series whose points changed, in one query; `refresh`
 * returns what changed, which is what `/api/live` pushes as `grew`.
 */
import { INTEGER, LIST, listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { LiveGrew, SourceSeries } from '../source/api';
import type { XColumnName } from '../source/m4';
import { evalFilter, type FilterNode } from '../query/filter';

interface Held extends SourceSeries {
  nextOrd: number;
}

const EXTENT_COLUMNS: XColumnName[] = ['x', 'time', 'wall', 'epoch'];

const finiteMinMax = (c: string) => `min(${c}) FILTER (WHERE isfinite(${c})), max(${c}) FILTER (WHERE isfinite(${c}))`;
const EXTENT_SQL = `SELECT series, ${EXTENT_COLUMNS.map(finiteMinMax).join(', ')}, ${finiteMinMax('y')},
  min(y) FILTER (WHERE isfinite(y) AND y > 0), max(y) FILTER (WHERE isfinite(y) AND y > 0)
FROM points WHERE series BETWEEN $lo AND $hi AND series IN (SELECT unnest($ids)) GROUP BY series`;

/**
 * The same columns for series with level-of-detail blocks, without reading their points: x and y
 * from their top-level blocks (exact: the blocks are remade with the points), the other x
 * columns as kept in lod_series when they were built (lodbuild.ts). Series whose blocks predate
 * those columns (ext NULL) are left to EXTENT_SQL.
 */
const LOD_EXTENT_SQL = `SELECT s.series, t.xmin, t.xmax, s.tmin, s.tmax, s.wmin, s.wmax, s.emin, s.emax, t.ymin, t.ymax, t.pmin, t.pmax
FROM lod_series s JOIN (
  SELECT l.series, min(l.vmin) AS xmin, max(l.vmax) AS xmax, min(l.mny) AS ymin, max(l.mxy) AS ymax,
    min(l.mpy) AS pmin, max(l.mxy) FILTER (WHERE l.mxy > 0) AS pmax
  FROM lod l JOIN lod_series q ON l.series = q.series AND l.lv = q.levels
  WHERE l.series IN (SELECT unnest($ids)) GROUP BY l.series
) t ON s.series = t.series
WHERE s.ext`;

const pair = (a: unknown, b: unknown): [number, number] | null => (a === null || b === null ? null : [Number(a), Number(b)]);

/** A series row as the series table holds it. */
export interface StoredSeries {
  id: number;
  key: string;
  run: string;
  metric: string;
  /** JSON text */
  fields: string;
  points: number;
  nextOrd: number;
  hasTime: boolean;
  hasWall: boolean;
  hasEpoch: boolean;
}

/**
 * An extent row: [series, xmin, xmax, tmin, tmax, wmin, wmax, emin, emax, ymin, ymax, pmin,
 * pmax] over finite values (y > 0 for pmin / pmax), null where a column has none.
 */
export type ExtentRow = readonly unknown[];

/** What the index reads from a store (DuckDB: `duckdbSeriesReader`; ClickHouse: clickhouse/seriesread.ts). */
export interface SeriesReader {
  rows(): Promise<StoredSeries[]>;
  /** the extents of these series (ascending ids) */
  extents(ids: readonly number[]): Promise<ExtentRow[]>;
}

/** The DuckDB store's series rows, and extents from the blocks where a series has them. */
export function duckdbSeriesReader(db: DuckDBConnection): SeriesReader {
  return {
    async rows() {
      const r = await db.runAndReadAll('SELECT id, key, run, metric, fields::VARCHAR, points, next_ord, has_time, has_wall, has_epoch FROM series');
      return r.getRows().map(([id, key, run, metric, fields, points, nextOrd, hasTime, hasWall, hasEpoch]) => ({
        id: Number(id), key: String(key), run: String(run), metric: String(metric), fields: String(fields), points: Number(points), nextOrd: Number(nextOrd),
        hasTime: Boolean(hasTime), hasWall: Boolean(hasWall), hasEpoch: Boolean(hasEpoch),
      }));
    },
    async extents(ids) {
      const fromBlocks = (await db.runAndReadAll(LOD_EXTENT_SQL, { ids: listValue([...ids]) }, { ids: LIST(INTEGER) })).getRows();
      const done = new Set(fromBlocks.map((row) => Number(row[0])));
      const rest = ids.filter((id) => !done.has(id));
      // a semi-join on the ids (list_contains per point costs the list's length per point)
      const fromPoints = rest.length === 0 ? [] : (await db.runAndReadAll(EXTENT_SQL, { ids: listValue(rest), lo: rest[0], hi: rest[rest.length - 1] }, { ids: LIST(INTEGER), lo: INTEGER, hi: INTEGER })).getRows();
      return [...fromBlocks, ...fromPoints];
    },
  };
}

export class SeriesIndex {
  private readonly byId = new Map<number, Held>();

  /** The series that have points, by id. */
  list(): SourceSeries[] {
    return [...this.byId.values()].filter((s) => s.points > 0).sort((a, b) => a.sid - b.sid).map(strip);
  }

  /** The list filtered by metric (exact) and the explorer's filter over run, metric and fields. */
  query(metric: string | undefined, where: FilterNode | null): SourceSeries[] {
    return this.list().filter((s) => (metric === undefined || s.metric === metric) && evalFilter(where, filterFields(s)));
  }

  get totals(): { series: number; points: number } {
    let series = 0, points = 0;
    for (const s of this.byId.values()) if (s.points > 0) (series++, (points += s.points));
    return { series, points };
  }

  /** Read the series table again; extents of the series whose points changed. */
  async refresh(reader: SeriesReader): Promise<LiveGrew> {
    const changed: Held[] = [];
    let added = 0;
    for (const { id: sid, key, run, metric, fields, points: n, nextOrd: ord, hasTime, hasWall, hasEpoch } of await reader.rows()) {
      const old = this.byId.get(sid);
      if (old && old.points === n && old.nextOrd === ord) continue;
      const xColumns: XColumnName[] = ['x'];
      if (hasTime) xColumns.push('time');
      if (hasWall) xColumns.push('wall');
      if (hasEpoch) xColumns.push('epoch');
      const s: Held = {
        id: String(key), sid, run: String(run), metric: String(metric), fields: JSON.parse(String(fields)) as Record<string, string>,
        points: n, nextOrd: ord, xColumns, extent: {}, yExtent: null, yPositive: null,
      };
      if (!old && n > 0) added++;
      this.byId.set(sid, s);
      changed.push(s);
    }
    if (changed.length > 0) {
      const ids = changed.map((s) => s.sid).sort((a, b) => a - b);
      for (const row of await reader.extents(ids)) {
        const s = this.byId.get(Number(row[0]))!;
        EXTENT_COLUMNS.forEach((c, i) => {
          const p = pair(row[1 + 2 * i], row[2 + 2 * i]);
          if (p && s.xColumns.includes(c)) s.extent[c] = p;
        });
        s.yExtent = pair(row[9], row[10]);
        s.yPositive = pair(row[11], row[12]);
      }
    }
    return {
      series: changed.filter((s) => s.points > 0).map((s) => ({ sid: s.sid, id: s.id, points: s.points, extent: s.extent })),
      added,
    };
  }
}

function strip(s: Held): SourceSeries {
  const { nextOrd: _, ...rest } = s;
  return rest;
}

/** What a filter sees of a series: its fields, with run and metric (as the explorer's runs have). */
export function filterFields(s: SourceSeries): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.fields)) out[k] = String(v);
  out.run = s.run;
  out.metric = s.metric;
  return out;
}
