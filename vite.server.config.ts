import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The server's build for Node (`npx metricgl`, bin/metricgl.mjs): src/server/cli.ts and what it
// imports (the loaders, the shared source/ and query/ modules, demo/live's HTTP helpers) bundled
// into dist-server/cli.js. DuckDB's native binding and Node's builtins stay imports.
export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'dist-server',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: { cli: 'src/server/cli.ts', http: 'src/server/http.ts' },
      output: { format: 'es', entryFileNames: '[name].js' },
      external: [/^@duckdb\//, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
    },
  },
  ssr: { noExternal: true, external: ['@duckdb/node-api', '@duckdb/node-bindings'] },
});
