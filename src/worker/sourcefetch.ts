/**
 * The worker's requests to a metricgl server (src/source/api.ts). Every failure becomes an Error
 * that names the query's purpose ("view query: HTTP 500: ...") so the chart's error, and the
 * rejected `rendered()`, say which question went unanswered.
 */
import type { AggregatedGroup } from '../protocol/messages';
import { API, UNANSWERED_HEADER, type AggregateHoverQuery, type AggregateQuery, type AggregateViewQuery, type GroupAt, type HoverPoint, type HoverQuery, type ViewQuery } from '../source/api';
import { decodeAggregated } from '../source/aggregatedlayout';
import { decode } from '../source/layout';
import type { M4Result } from '../source/m4';

async function post(url: string, path: string, body: unknown, purpose: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (err) {
    throw new Error(`${purpose}: ${url}${path} unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let msg = text;
    try {
      msg = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON: the body as it came
    }
    throw new Error(`${purpose}: HTTP ${res.status}: ${msg}`);
  }
  return res;
}

/** The series ids a view answer's header says went unanswered (source/api.ts UNANSWERED_HEADER). */
function unansweredOf(res: Response): number[] {
  const h = res.headers.get(UNANSWERED_HEADER);
  return h ? h.split(',').map(Number).filter(Number.isInteger) : [];
}

/** An M4 answer (layout.ts) to a POST, the bytes it took, and the series the server could not answer now. */
async function fetchM4(url: string, path: string, q: unknown, purpose: string): Promise<{ result: M4Result; bytes: number; unanswered: number[] }> {
  const res = await post(url, path, q, purpose);
  const buf = await res.arrayBuffer();
  try {
    return { result: decode(buf).result, bytes: buf.byteLength, unanswered: unansweredOf(res) };
  } catch (err) {
    throw new Error(`${purpose}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** One view's M4 answer, the bytes it took, and the series the server could not answer now. */
export function fetchView(url: string, q: ViewQuery) {
  return fetchM4(url, API.view, q, 'view query');
}

/** The M4 answer of groups aggregated on the server: group g's line, low and high edge are series 3g, 3g + 1, 3g + 2. */
export function fetchAggregateView(url: string, q: AggregateViewQuery) {
  return fetchM4(url, API.aggregate, q, 'aggregate view query');
}

export async function fetchAggregateHover(url: string, q: AggregateHoverQuery): Promise<(GroupAt | null)[]> {
  const res = await post(url, API.aggregateHover, q, 'aggregate hover query');
  return ((await res.json()) as { groups: (GroupAt | null)[] }).groups;
}

/** One group's whole aggregate (chart.aggregated), computed by the server. */
export async function fetchAggregated(url: string, q: AggregateQuery): Promise<AggregatedGroup> {
  const res = await post(url, API.aggregated, q, 'aggregated query');
  try {
    return decodeAggregated(await res.arrayBuffer());
  } catch (err) {
    throw new Error(`aggregated query: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function fetchHover(url: string, q: HoverQuery): Promise<HoverPoint[]> {
  const res = await post(url, API.hover, q, 'hover query');
  return ((await res.json()) as { points: HoverPoint[] }).points;
}
