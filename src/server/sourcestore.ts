/**
 * The store as a server uses it: one DuckDB instance, one connection that writes (ingests run one
 * at a time on it, each a transaction) and a few that read. Each connection serves one query at a
 * time: DuckDB connections are not meant for concurrent statements, and reading on connections of
 * their own lets views and hovers run while an ingest's transaction is open (they see the last
 * committed state, MVCC).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { openStore, type Store } from './schema';

const READERS = 4;

export class SourceStore {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiting: { resolve(db: DuckDBConnection): void; reject(e: Error): void }[] = [];
  /** reads running now, with their connection: close() interrupts and awaits them */
  private readonly running = new Map<Promise<unknown>, DuckDBConnection>();
  private writing: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly store: Store) {}

  static async open(path: string, opts: { threads?: number } = {}): Promise<SourceStore> {
    return new SourceStore(await openStore(path, opts));
  }

  /** Run `fn` on a reading connection (waits for one when all are busy). */
  async read<T>(fn: (db: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the store is closed');
    let db = this.idle.pop();
    if (!db && this.all.length < READERS) {
      db = await this.store.instance.connect();
      this.all.push(db);
    }
    db ??= await new Promise<DuckDBConnection>((resolve, reject) => this.waiting.push({ resolve, reject }));
    const conn = db;
    const run = fn(conn);
    this.running.set(run, conn);
    try {
      return await run;
    } finally {
      this.running.delete(run);
      const next = this.closed ? undefined : this.waiting.shift();
      if (next) next.resolve(conn);
      else this.idle.push(conn);
    }
  }

  /** Run `fn` on the writing connection, after every write queued before it. */
  write<T>(fn: (db: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const run = this.writing.then(() => fn(this.store.db));
    this.writing = run.catch(() => undefined);
    return run;
  }

  /**
   * Close after the queued writes. Reads still running are interrupted and awaited first: a
   * connection closed under a running query leaves DuckDB's teardown blocked, and the process
   * then never exits.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const gone = new Error('the store is closed');
    for (const w of this.waiting.splice(0)) w.reject(gone);
    for (const conn of this.running.values()) conn.interrupt();
    await Promise.allSettled([...this.running.keys()]);
    await this.writing;
    for (const db of this.all) db.closeSync();
    this.store.close();
  }
}
