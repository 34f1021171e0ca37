import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The demo explorer's production build: demo/index.html and demo/explorer (with the library from
// src/) into dist-demo/, which `npm run demo` serves with a plain node:http server
// (demo/live/prod.mjs). The shipped logs, fetched with new URL('../data/…', import.meta.url), are
// emitted as an asset next to the scripts.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./demo'),
  // relative asset URLs: the page works wherever the folder is served from
  base: './',
  // the dev server's dependency cache, not the library's: see demo/live/server.mjs
  cacheDir: here('./node_modules/.vite-demo'),
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: here('./dist-demo'),
    emptyOutDir: true,
    target: 'es2022',
    // the 3 MB csv.gz stays a file (it is far above the inline limit anyway); no source maps:
    // the build is for using the explorer, `npm run dev` is for working on it
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: { input: here('./demo/index.html') },
  },
  worker: { format: 'es' },
  // as the library bundle: regl without its argument checks (see vite.config.ts)
  resolve: { alias: { regl: 'regl/dist/regl.unchecked.js' } },
});
