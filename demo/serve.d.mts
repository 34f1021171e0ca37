// Types of demo/serve.mjs (the demo's CLI; the servers are demo/live/prod.mjs and server.mjs).
export { startDemoServer, liveLogdirPlugin } from './live/server.mjs';
export type { DemoServer, DemoServerOptions } from './live/server.mjs';
export { startExplorerServer } from './live/prod.mjs';
export type { ExplorerServer, ExplorerServerOptions } from './live/prod.mjs';

export function parseCli(argv: string[]): {
  help: boolean;
  /** --db FILE, absolute: the explorer on a metricgl server over this DuckDB file */
  db: string | null;
  logdir: string | null;
  demoData: boolean;
  followLinks: boolean;
  port: number;
  host: string;
  open: boolean;
  dev: boolean;
};
