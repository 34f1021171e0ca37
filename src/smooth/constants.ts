/** Layout constants shared by the worker (which packs the data) and the GPU scan (which reads it). */

/** points per row of the smoothing data texture */
export const ROW = 4096;
/** float32 indices in the shaders are exact below 2^24: the most points GPU smoothing holds */
export const MAX_POINTS = 1 << 24;
/** points per texel of each level of the GPU scan and of its min/max pyramid (shaders/smooth/) */
export const GPU_BLOCK = 16;
/** y marking a skipped point in the data texture; outputs at or above 1e38 read as skipped */
export const SKIP = 3e38;
