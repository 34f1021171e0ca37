/**
 * `serve --logdir DIR`: the folder polled every 250 ms with the demo's listing (src/node/tail.mjs:
 * recursive, hidden folders and links out of DIR skipped), and the files that changed (size,
 * mtime or inode) ingested by the store's ingest, which reads only what is new of each. Run names come
 * from paths relative to DIR, as `metricgl ingest DIR` names them.
 */
import { listLogFiles } from '../node/tail.mjs';
import type { IngestResult } from './ingest';

const POLL_MS = 250;

export class LogdirWatcher {
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dir: string,
    /** ingest files of the folder (the store's, backend.ts) */
    private readonly ingestFiles: (paths: string[], root: string) => Promise<IngestResult>,
    private readonly onIngest: (r: IngestResult) => Promise<unknown>,
    private readonly warn: (message: string) => void,
  ) {}

  /** The first scan (everything in the folder), then polling. */
  async start(): Promise<void> {
    await this.scan();
    const tick = () => {
      if (this.stopped) return;
      this.running = this.scan().finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(tick, POLL_MS);
      });
    };
    this.timer = setTimeout(tick, POLL_MS);
  }

  private async scan(): Promise<void> {
    const files = await listLogFiles(this.dir, { gzip: true });
    const changed: string[] = [];
    for (const f of files) {
      const sig = `${f.size}:${f.mtimeMs}:${f.ino}`;
      if (this.seen.get(f.abs) === sig) continue;
      this.seen.set(f.abs, sig);
      changed.push(f.abs);
    }
    if (changed.length === 0) return;
    const ingest = (paths: string[]) => this.ingestFiles(paths, this.dir);
    try {
      await this.report(await ingest(changed));
    } catch {
      // one file failing (vanished mid-read) must not hold back the others: each on its own
      for (const p of changed) {
        try {
          await this.report(await ingest([p]));
        } catch (e) {
          this.seen.delete(p);
          this.warn(`[logdir] ${p}: ${(e as Error).message}`);
        }
      }
    }
  }

  private async report(r: IngestResult): Promise<void> {
    for (const e of r.errors) this.warn(`[logdir] ${e}`);
    for (const w of r.warnings) this.warn(`[logdir] ${w}`);
    await this.onIngest(r);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
