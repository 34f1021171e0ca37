import type { Server } from 'node:http';
import type { LiveApi } from './api.mjs';

export interface ExplorerServerOptions {
  /** folder of csv / jsonl / tfevents logs to stream; null or absent: no live stream */
  logdir?: string | null;
  /** with a logdir, also load the shipped demo logs (GET /api/logdir `demoData`); default false */
  demoData?: boolean;
  /** follow symbolic links that lead outside logdir; default false (skipped, reported once) */
  followLinks?: boolean;
  /** default 5173; 0 picks a free port; a busy port moves on to the next free one */
  port?: number;
  /** default '127.0.0.1' (loopback only) */
  host?: string;
  /** open a browser (skipped in CI, on Linux without a display, and with BROWSER=none) */
  open?: boolean;
  /** the built explorer; default dist-demo/ (METRICGL_DEMO_BUILD_DIR) */
  root?: string;
  /** false: notice changes by polling (every 250 ms) only, no fs.watch; default true */
  fsWatch?: boolean;
  /** open /api/live streams at most, default 64; one more is answered 503 */
  maxClients?: number;
  /** where skipped links and read errors are reported; default console.warn */
  warn?: (message: string) => void;
}

export interface ExplorerServer {
  /** e.g. 'http://127.0.0.1:5173' (no trailing '/') */
  url: string;
  port: number;
  logdir: string | null;
  root: string;
  /** whether a browser was asked to open */
  opened: boolean;
  server: Server;
  api: LiveApi;
  /** ends the live streams and every connection, then the server; idempotent */
  close(): Promise<void>;
}

export function startExplorerServer(options?: ExplorerServerOptions): Promise<ExplorerServer>;
