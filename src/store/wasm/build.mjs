// Compiles kernels.wat into kernels.wasm.ts (the module's bytes as base64, so that every build of
// the engine, its tests and its benchmarks load it as plain TypeScript, with no bundler plugin).
// Run by `npm run build:wasm` after editing kernels.wat; test/unit/kernels.test.ts fails when the
// committed bytes are not those of the .wat.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

/** The module's bytes, compiled from the text in kernels.wat. */
export async function compileKernels() {
  const wabt = await wabtInit();
  const path = fileURLToPath(new URL('./kernels.wat', import.meta.url));
  const mod = wabt.parseWat('kernels.wat', readFileSync(path, 'utf8'), { simd: true, mutable_globals: true });
  try {
    mod.validate();
    return Buffer.from(mod.toBinary({ write_debug_names: false }).buffer);
  } finally {
    mod.destroy();
  }
}

/** The text of kernels.wasm.ts for these bytes. */
export function kernelsModule(bytes) {
  return `// Generated from kernels.wat by \`npm run build:wasm\` (src/store/wasm/build.mjs): do not edit.\n` +
    `export const kernelsWasm = '${Buffer.from(bytes).toString('base64')}';\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await compileKernels();
  writeFileSync(fileURLToPath(new URL('./kernels.wasm.ts', import.meta.url)), kernelsModule(bytes));
  console.log(`kernels.wasm.ts: ${bytes.length} bytes`);
}
