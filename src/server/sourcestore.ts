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
  private readonly waiting: ((db: DuckDBConnection) => void)[] = [];
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
    db ??= await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve));
    try {
      return await fn(db);
    } finally {
      const next = this.waiting.shift();
      if (next) next(db);
      else this.idle.push(db);
    }
  }

  /** Run `fn` on the writing connection, after every write queued before it. */
  write<T>(fn: (db: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const run = this.writing.then(() => fn(this.store.db));
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** Close after the queued writes; reads still running finish first on their connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing;
    for (const db of this.all) db.closeSync();
    this.store.close();
  }
}
