/** Log loaders: CSV, JSON Lines and TensorBoard event files into metric series. */
export { loadFiles, type FileLike } from './client';
export { createIncrementalParser, createFileParser, type IncrementalParser, type FileParser, type FileParserOptions } from './parse';
export { loadBlobs, loadOne, type LoadInput, type LoadResult, type FileMessage, type ProgressFn } from './load';
export { loaderFor, isGzip, type Detected } from './detect';
export { createCsvParser, parseCsv, namesFromFile, type CsvOptions, type TextParser } from './csv';
export { createJsonlParser, parseJsonl, type JsonlOptions } from './jsonl';
export { createTfeventsParser, parseTfevents, runOfPath, splitTag, looksLikeTfrecord, type ByteParser, type TfeventsOptions } from './tfevents';
export { crc32c, maskCrc, maskedCrc32c } from './crc32c';
export { LoadError, MetricTable, SeriesBuilder, seriesKey, transferables, type LoadedSeries, type LoaderKind } from './rows';
