/**
 * Log loaders: CSV, JSON Lines and TensorBoard event files into metric series (`metricgl/loaders`).
 * Nothing here touches the chart or the GPU; everything but `loadFiles` (which starts a Web
 * Worker) runs in Node as well as in a browser.
 */
export { loadFiles, type FileLike } from './client';
export { createIncrementalParser, createFileParser, type IncrementalParser, type FileParser, type FileParserOptions } from './parse';
export { loadBlobs, loadOne, type LoadInput, type LoadResult, type FileMessage, type ProgressFn } from './load';
export { loaderFor, isGzip, type Detected } from './detect';
export { namesFromFile, type TextParser, type TextOptions } from './text';
export { createCsvParser, parseCsv, type CsvOptions } from './csv';
export { createJsonlParser, parseJsonl, type JsonlOptions } from './jsonl';
export { createTfeventsParser, parseTfevents, runOfPath, splitTag, type ByteParser, type TfeventsOptions } from './tfevents';
export { looksLikeTfrecord } from './tfrecord';
export { crc32c, maskCrc, maskedCrc32c } from './crc32c';
export { LoadError, seriesKey, type LoadedSeries, type LoaderKind } from './rows';
export { MetricTable, transferables } from './table';
export { SeriesBuilder } from './builder';
