#!/usr/bin/env node
// `npx metricgl ingest|serve ...`: runs the server's build (dist-server/cli.js, made by
// `npm run build`; Node does not run the TypeScript sources).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist-server/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('metricgl: dist-server/cli.js is missing: run `npm run build` first (in the metricgl package folder)');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
