// The TypeScript modules a Node-side bench (or a page's JS peer) runs, bundled by Vite (already a
// devDependency) into bench/.tmp/NAME/ as ES modules: `entries` maps output names to sources.
// Returns a loader of the bundled module by name.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { repo } from '../browser.mjs';

export async function bundle(name, entries) {
  const outDir = join(repo, 'bench/.tmp', name);
  await build({
    configFile: false,
    root: repo,
    logLevel: 'warn',
    build: {
      lib: { entry: entries, formats: ['es'], fileName: (_, n) => `${n}.mjs` },
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
    },
  });
  return (n) => import(pathToFileURL(join(outDir, `${n}.mjs`)).href);
}
