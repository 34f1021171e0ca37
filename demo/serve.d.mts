// Types of demo/serve.mjs (the demo server's CLI; the server itself is demo/live/server.mjs).
export { startDemoServer, liveLogdirPlugin } from './live/server.mjs';
export type { DemoServer, DemoServerOptions } from './live/server.mjs';

export function parseCli(argv: string[]): {
  help: boolean;
  logdir: string | null;
  port: number;
  host: string;
  open: boolean;
};
