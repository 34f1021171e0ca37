/**
 * The worker's requests to a metricgl server (src/source/api.ts). Every failure becomes an Error
 * that names the query's purpose ("view query: HTTP 500: ...") so the chart's error, and the
 * rejected `rendered()`, say which question went unanswered.
 */
import { API, UNANSWERED_HEADER, type HoverPoint, type HoverQuery, type ViewQuery } from '../source/api';
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

/** One view's M4 answer, the bytes it took, and the series the server could not answer now. */
export async function fetchView(url: string, q: ViewQuery): Promise<{ result: M4Result; bytes: number; unanswered: number[] }> {
  const res = await post(url, API.view, q, 'view query');
  const buf = await res.arrayBuffer();
  try {
    return { result: decode(buf).result, bytes: buf.byteLength, unanswered: unansweredOf(res) };
  } catch (err) {
    throw new Error(`view query: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function fetchHover(url: string, q: HoverQuery): Promise<HoverPoint[]> {
  const res = await post(url, API.hover, q, 'hover query');
  return ((await res.json()) as { points: HoverPoint[] }).points;
}
