/**
 * Which loader reads a file: by name first (`events.out.tfevents.*`, `.csv`, `.tsv`, `.jsonl`,
 * `.ndjson`), then by content (a valid TFRecord header, a `{` line, a header line with step and
 * value). Gzip (`1f 8b`) is recognised by its magic bytes: the caller decompresses and asks again
 * with the name without `.gz` and the decompressed first bytes.
 */
import { roleOf } from './roles';
import { LoadError, type LoaderKind } from './rows';
import { looksLikeTfrecord } from './tfrecord';

export interface Detected {
  kind: LoaderKind;
  /** CSV field delimiter */
  delimiter?: string;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The name without a trailing `.gz`. */
export function withoutGz(name: string): string {
  return name.replace(/\.gz$/i, '');
}

function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

/** The first line of text in bytes (at most 64 KiB looked at). */
function firstLine(bytes: Uint8Array): string {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, Math.min(bytes.length, 65536)));
  const t = head.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  const nl = t.indexOf('\n');
  return nl < 0 ? t : t.slice(0, nl);
}

function csvHeader(line: string, delimiter: string): boolean {
  const cols = line.split(delimiter).map((c) => roleOf(c.replace(/^"|"$/g, '')));
  return cols.includes('step') && cols.includes('value');
}

/** The loader for a file from its name and first bytes (decompressed, if it was gzip). */
export function loaderFor(fileName: string, firstBytes: Uint8Array): Detected {
  const base = withoutGz(baseName(fileName)).toLowerCase();
  if (base.startsWith('events.out.tfevents.') || base.includes('.tfevents.')) return { kind: 'tfevents' };
  if (base.endsWith('.jsonl') || base.endsWith('.ndjson')) return { kind: 'jsonl' };
  if (base.endsWith('.csv')) return { kind: 'csv', delimiter: ',' };
  if (base.endsWith('.tsv')) return { kind: 'csv', delimiter: '\t' };
  if (looksLikeTfrecord(firstBytes)) return { kind: 'tfevents' };
  if (!isGzip(firstBytes)) {
    const line = firstLine(firstBytes);
    if (line.startsWith('{')) return { kind: 'jsonl' };
    if (csvHeader(line, ',')) return { kind: 'csv', delimiter: ',' };
    if (csvHeader(line, '\t')) return { kind: 'csv', delimiter: '\t' };
  }
  throw new LoadError(baseName(fileName), 'not a CSV, JSON Lines or TensorBoard event file');
}
