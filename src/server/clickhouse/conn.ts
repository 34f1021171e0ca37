/**
 * Where a metricgl store lives in ClickHouse: the server queries go to, the database, and, on a
 * cluster, the cluster's name and every shard's HTTP address.
 *
 * The shard addresses are needed because 18.16 runs `CREATE ... ON CLUSTER` only through
 * ZooKeeper's distributed DDL queue; without one, the schema is created on each shard directly,
 * and the series table (a copy on every shard) is written to each. A newer server with ClickHouse
 * Keeper would take ON CLUSTER and the list would only be needed for the series copies.
 *
 * Names of databases and clusters are identifiers, not values: they are checked against a plain
 * identifier pattern and quoted, so none can carry SQL.
 */

export interface ClickHouseConn {
  /** http(s)://host:port of the server that answers queries (on a cluster: any shard) */
  url: string;
  database: string;
  /** the cluster (remote_servers) the points are spread over; absent: one server, plain tables */
  cluster?: string;
  /** every shard's HTTP address, in the cluster's shard order (needed with `cluster`) */
  shards?: readonly string[];
  /** how long a view or hover query may take before it fails (default 60 s; a full view over
   *  1e9 points on a small machine takes minutes) */
  queryTimeoutMs?: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A database / table / cluster name, checked and back-quoted. */
export function identifier(name: string, what: string): string {
  if (typeof name !== 'string' || !IDENT.test(name)) throw new Error(`bad ClickHouse ${what} name ${JSON.stringify(name)}: letters, digits and _ only`);
  return `\`${name}\``;
}

export interface Tables {
  /** what queries read: the Distributed table on a cluster, else the plain table */
  points: string;
  /** the table on one shard (what a shard's own subqueries read); the same as points without cluster */
  pointsLocal: string;
  series: string;
  files: string;
  runs: string;
  meta: string;
}

export function tables(conn: ClickHouseConn): Tables {
  const db = identifier(conn.database, 'database');
  if (conn.cluster !== undefined) identifier(conn.cluster, 'cluster');
  const clustered = conn.cluster !== undefined;
  return {
    points: `${db}.points`,
    pointsLocal: clustered ? `${db}.points_local` : `${db}.points`,
    series: `${db}.series`,
    files: `${db}.files`,
    runs: `${db}.runs`,
    meta: `${db}.meta`,
  };
}

/** The servers schema statements and series copies go to: every shard, or the one server. */
export function everyServer(conn: ClickHouseConn): readonly string[] {
  if (conn.cluster === undefined) return [conn.url];
  if (!conn.shards || conn.shards.length === 0) throw new Error(`ClickHouse cluster ${conn.cluster}: the shards' HTTP addresses are needed (18.16 has no ON CLUSTER without ZooKeeper)`);
  return conn.shards;
}
