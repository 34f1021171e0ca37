import type { InlineConfig, LogLevel, Plugin, ViteDevServer } from 'vite';
import type { LiveApiOptions } from './api.mjs';

export interface DemoServerOptions {
  /** folder of csv / jsonl / tfevents logs to stream; null or absent: /api/logdir says dir: null, /api/live is 404 */
  logdir?: string | null;
  /** with a logdir, also load the shipped demo logs (GET /api/logdir `demoData`); default false */
  demoData?: boolean;
  /** follow symbolic links that lead outside logdir; default false (skipped, reported once) */
  followLinks?: boolean;
  /** open /api/live streams at most, default 64; one more is answered 503 */
  maxClients?: number;
  /** default 5173; 0 picks a free port; a busy port moves on to the next free one */
  port?: number;
  /** default '127.0.0.1' */
  host?: string;
  /** open a browser (skipped in CI and, on Linux, without a display) */
  open?: boolean;
  /** Vite's log level, default 'info' */
  logLevel?: LogLevel;
  /** merged (Vite's mergeConfig) over the demo's own config */
  vite?: InlineConfig;
  /** false: notice changes by polling (every 250 ms) only, no fs.watch; default true */
  fsWatch?: boolean;
}

export interface DemoServer {
  /** e.g. 'http://127.0.0.1:5173' (no trailing '/': `${url}/api/live`) */
  url: string;
  port: number;
  logdir: string | null;
  /** whether a browser was asked to open */
  opened: boolean;
  vite: ViteDevServer;
  /** ends the live streams and their watchers, then closes Vite; idempotent */
  close(): Promise<void>;
}

export function startDemoServer(options?: DemoServerOptions): Promise<DemoServer>;
export function liveLogdirPlugin(
  logdir: string | null,
  options?: Omit<LiveApiOptions, 'logdir'>,
): Plugin & { closeAll(): void };
export function canOpenBrowser(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): boolean;
