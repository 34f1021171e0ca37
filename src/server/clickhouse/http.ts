/**
 * The one way this server talks to ClickHouse: its HTTP interface, POST, with node's own http
 * client (no driver package). A query without data goes in the request body; an INSERT puts the
 * statement in the `query` URL parameter and its rows (RowBinary) in the body, which is how row
 * values (names, keys, fields) reach the server without ever being part of SQL text.
 *
 * Sets of values a query filters by (a view's series ids) go as external tables: parts of a
 * multipart/form-data body that the server reads as temporary tables (and, for a Distributed
 * query, sends on to every shard), so a list of any length is data, never SQL text, and no
 * query-size or AST-size limit applies to it.
 *
 * Credentials come from METRICGL_CLICKHOUSE_USER / METRICGL_CLICKHOUSE_PASSWORD and travel as the
 * X-ClickHouse-User / X-ClickHouse-Key headers (18.16 honours both; checked by hand: a wrong key
 * is refused), never in the URL or on a command line, where logs and `ps` would show them.
 *
 * `wait_end_of_query=1` makes the server buffer the answer until the query has finished, so a
 * failure midway comes back as an HTTP error rather than as error text appended to a 200
 * response that would otherwise be decoded as rows.
 */
import http from 'node:http';
import https from 'node:https';

/** What a query is for; named in its errors so a log line says which request failed. */
export type QueryPurpose = 'view' | 'hover' | 'series list' | 'ingest' | 'schema';

/** A temporary table for one query: its name in the SQL, its columns, its rows as RowBinary. */
export interface ExternalTable {
  name: string;
  /** ClickHouse's structure string, e.g. 'series Int32' (ours, not from a request) */
  structure: string;
  rows: Buffer;
}

export interface QueryOptions {
  purpose: QueryPurpose;
  /** temporary tables the query reads (not with `body`) */
  tables?: readonly ExternalTable[];
  /** rows for an INSERT (the statement then goes in the URL); without it the SQL is the body */
  body?: Buffer;
  /** appended as ` FORMAT <format>` to a query without a body (RowBinary for answers) */
  format?: 'RowBinary' | 'TabSeparated';
  /** server settings for this query only, sent as URL parameters (names and values are ours) */
  settings?: Readonly<Record<string, string | number>>;
  /** give up after this many ms (default 60 s) */
  timeoutMs?: number;
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 32 }), https: new https.Agent({ keepAlive: true, maxSockets: 32 }) };

const SETTING_NAME = /^[a-z_][a-z0-9_]*$/;

/** The first line of ClickHouse's error text, without the C++ exception class that repeats it. */
export function firstErrorLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.replace(/, e\.what\(\) = [A-Za-z:_]+$/, '').slice(0, 500) || 'empty error response';
}

function credentials(): Record<string, string> {
  const user = process.env.METRICGL_CLICKHOUSE_USER;
  if (!user) return {};
  return { 'X-ClickHouse-User': user, 'X-ClickHouse-Key': process.env.METRICGL_CLICKHOUSE_PASSWORD ?? '' };
}

/** Run one statement at `url` (http://host:port, optionally with a path); the answer's bytes. */
export function query(url: string, sql: string, opts: QueryOptions): Promise<Buffer> {
  const target = new URL(url);
  target.searchParams.set('wait_end_of_query', '1');
  for (const [k, v] of Object.entries(opts.settings ?? {})) {
    if (!SETTING_NAME.test(k)) throw new Error(`bad ClickHouse setting name ${JSON.stringify(k)}`);
    target.searchParams.set(k, String(v));
  }
  let body: Buffer;
  let contentType = 'application/octet-stream';
  if (opts.body) {
    target.searchParams.set('query', sql);
    body = opts.body;
  } else if (opts.tables?.length) {
    // the body is the tables' form, so the statement (a few KB) goes in the URL
    target.searchParams.set('query', opts.format ? `${sql}\nFORMAT ${opts.format}` : sql);
    let boundary: string;
    do boundary = `metricgl-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    while (opts.tables.some((t) => t.rows.includes(boundary)));
    const parts: Buffer[] = [];
    for (const t of opts.tables) {
      if (!SETTING_NAME.test(t.name)) throw new Error(`bad external table name ${JSON.stringify(t.name)}`);
      target.searchParams.set(`${t.name}_structure`, t.structure);
      target.searchParams.set(`${t.name}_format`, 'RowBinary');
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${t.name}"; filename="${t.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), t.rows, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    body = Buffer.concat(parts);
    contentType = `multipart/form-data; boundary=${boundary}`;
  } else {
    body = Buffer.from(opts.format ? `${sql}\nFORMAT ${opts.format}` : sql, 'utf8');
  }
  const lib = target.protocol === 'https:' ? https : http;
  const agent = target.protocol === 'https:' ? agents.https : agents.http;
  return new Promise<Buffer>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`ClickHouse ${opts.purpose} query failed: ${why}`));
    const req = lib.request(
      target,
      {
        method: 'POST',
        agent,
        headers: { ...credentials(), 'Content-Type': contentType, 'Content-Length': body.length },
        timeout: opts.timeoutMs ?? 60_000,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('error', (e) => fail(e.message));
        res.on('end', () => {
          const buf = Buffer.concat(parts);
          if (res.statusCode === 200) resolve(buf);
          else fail(`${firstErrorLine(buf.toString('utf8'))} (HTTP ${res.statusCode})`);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs ?? 60_000} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ECONNREFUSED' ? `cannot connect to ${target.host} (${e.code})` : e.message));
    req.end(body);
  });
}

/** A query whose answer is text (DDL, version, counts): trimmed, TabSeparated rows of fields. */
export async function queryText(url: string, sql: string, purpose: QueryPurpose): Promise<string[][]> {
  const text = (await query(url, sql, { purpose, format: 'TabSeparated' })).toString('utf8');
  return text.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

/** The server's version as [major, minor, patch] (18.16.1 → [18, 16, 1]). */
export async function serverVersion(url: string): Promise<[number, number, number]> {
  const rows = await queryText(url, 'SELECT version()', 'schema');
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(rows[0]?.[0] ?? '');
  if (!m) throw new Error(`ClickHouse schema query failed: unreadable version ${JSON.stringify(rows[0]?.[0])}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Whether the server at `url` answers GET /ping within `timeoutMs` (a shard's health). */
export function ping(url: string, timeoutMs = 1000): Promise<boolean> {
  const target = new URL('/ping', url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise<boolean>((resolve) => {
    const req = lib.get(target, { timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}
