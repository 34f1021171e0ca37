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
// DuckDB is an optional peer of the package (a chart in a web app does not need a 50 MB native
// module): the server says what to install instead of failing with a module-resolution trace
let main;
try {
  ({ main } = await import(cli.href));
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && /@duckdb/.test(String(e.message))) {
    console.error('metricgl: the server needs DuckDB\'s Node package: npm install @duckdb/node-api');
    process.exit(1);
  }
  throw e;
}
process.exitCode = await main(process.argv.slice(2));
