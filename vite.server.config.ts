import { builtinModules } from 'node:module';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';

/**
 * The declarations of the public entry (src/server/index.ts → dist-server/types/server/index.d.ts),
 * written after the bundle so that `npm run build:server` alone gives an embedding program its
 * types. Only declaration errors fail it: type errors are `npm run typecheck`'s.
 */
function serverDeclarations(): Plugin {
  return {
    name: 'metricgl-server-declarations',
    apply: 'build',
    closeBundle() {
      const fail = (d: readonly ts.Diagnostic[]) => {
        const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => '\n' };
        throw new Error(`server declarations:\n${ts.formatDiagnostics(d, host)}`);
      };
      const config = ts.getParsedCommandLineOfConfigFile('tsconfig.server.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) });
      if (!config) throw new Error('server declarations: tsconfig.server.json not read');
      if (config.errors.length) fail(config.errors);
      const emitted = ts.createProgram({ rootNames: config.fileNames, options: config.options }).emit();
      if (emitted.diagnostics.length) fail(emitted.diagnostics);
    },
  };
}

// The server's build for Node: src/server/cli.ts (`npx metricgl`, bin/metricgl.mjs), http.ts
// (what demo/serve.mjs starts), index.ts (the public entry for programs embedding the server) and
// feedworker.ts (an ingest's parse thread, feedthread.ts), stepworker.ts (a view's second
// thread over the step files, stepthread.ts),
// with what they import (the loaders, the shared source/ and query/ modules, src/node's HTTP
// helpers) bundled. DuckDB's native binding and Node's builtins stay imports. Exports between the
// chunks keep their names, so any chunk a program imports reads as the source does.
export default defineConfig({
  plugins: [serverDeclarations()],
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'dist-server',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: { cli: 'src/server/cli.ts', http: 'src/server/http.ts', index: 'src/server/index.ts', feedworker: 'src/server/feedworker.ts', stepworker: 'src/server/stepworker.ts' },
      // chunks beside the entries: the parse thread's file is found next to the ingest's code
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minifyInternalExports: false },
      external: [/^@duckdb\//, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
    },
  },
  ssr: { noExternal: true, external: ['@duckdb/node-api', '@duckdb/node-bindings'] },
});
