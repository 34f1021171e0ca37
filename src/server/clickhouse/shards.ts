/**
 * A question to a cluster with a shard down: answer it for the series the other shards hold, and
 * name the ones that went unanswered, instead of failing the whole view.
 *
 * The Distributed table puts a series on shard `series % shards` (sharding key `series`, every
 * shard of weight 1, shards in the cluster's order, which is the --shard order), so which series
 * a down shard holds is known without asking it. When a query fails, every shard is pinged
 * (GET /ping); if some answer and some do not, the query is asked again, of a shard that
 * answers, for the series on the shards that answer, with `skip_unavailable_shards` (so the
 * Distributed table leaves the down ones out instead of failing). A failure with every shard up
 * (a bad query, a refused one) or every shard down is the error it was.
 */
import type { ClickHouseConn } from './conn';
import { ping } from './http';

export interface PartialAnswer<T> {
  value: T;
  /** the series asked for whose shard did not answer */
  unanswered: number[];
}

/** Which shards answer now, in shard order (one server: [true] unasked). */
export async function shardsUp(conn: ClickHouseConn): Promise<boolean[]> {
  if (conn.cluster === undefined || !conn.shards) return [true];
  return Promise.all(conn.shards.map((u) => ping(u)));
}

/** A server to send queries to: the configured one if it answers, else the first shard that does. */
export function initiator(conn: ClickHouseConn, up: readonly boolean[]): ClickHouseConn {
  const shards = conn.shards ?? [];
  const at = shards.indexOf(conn.url);
  if (at < 0 || up[at]) return conn;
  const other = shards[up.indexOf(true)];
  return other ? { ...conn, url: other } : conn;
}

/**
 * `ask(conn, sids, settings)` for `sids`; with a shard down, for the series of the shards that
 * answer (see above), the others named in `unanswered`.
 */
export async function answerWhatCan<T>(
  conn: ClickHouseConn, sids: readonly number[],
  ask: (conn: ClickHouseConn, sids: readonly number[], settings: Readonly<Record<string, number>>) => Promise<T>,
): Promise<PartialAnswer<T>> {
  try {
    return { value: await ask(conn, sids, {}), unanswered: [] };
  } catch (e) {
    if (conn.cluster === undefined) throw e;
    const up = await shardsUp(conn);
    if (up.every(Boolean) || !up.some(Boolean)) throw e;
    const n = up.length;
    const answered = sids.filter((s) => up[s % n]);
    const unanswered = sids.filter((s) => !up[s % n]);
    return { value: await ask(initiator(conn, up), answered, { skip_unavailable_shards: 1 }), unanswered };
  }
}
