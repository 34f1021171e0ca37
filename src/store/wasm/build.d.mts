/** The module's bytes, compiled from the text in kernels.wat. */
export function compileKernels(): Promise<Buffer>;
/** The text of kernels.wasm.ts for these bytes. */
export function kernelsModule(bytes: Uint8Array): string;
