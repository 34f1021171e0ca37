import { defineConfig } from 'vite';
import { liveLogdirPlugin } from './demo/live/server.mjs';

// Library build: two entries, dist/metricgl.js (the chart) and dist/loaders.js (the log loaders,
// `metricgl/loaders`: apps and servers that parse logs without drawing them load no GPU code),
// each ES modules. Their workers (decimation, parsing) are files of their own under assets/,
// found at run time relative to the module's URL (new URL(..., import.meta.url)).
export default defineConfig(({ command }) => ({
  // relative asset URLs: the bundle finds its worker next to itself wherever dist/ is served
  base: './',
  build: {
    lib: {
      entry: { metricgl: 'src/index.ts', loaders: 'src/loaders/index.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    target: 'es2022',
    sourcemap: true,
    emptyOutDir: true,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
  // served over the repo root (the browser tests), the explorer finds the same /api/logdir answer
  // as under `npm run demo` without --logdir: no folder, the shipped logs
  plugins: command === 'serve' ? [liveLogdirPlugin(null)] : [],
  // The bundle takes regl's build without argument checks: metricgl is regl's only caller and the
  // checks (kept in the dev server, where the browser tests drive src/) cost every command it
  // builds and every draw call.
  resolve: command === 'build' ? { alias: { regl: 'regl/dist/regl.unchecked.js' } } : {},
}));
