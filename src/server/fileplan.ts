/**
 * What ingesting a file again has to do, from what was stored about it the last time.
 *
 * A file is read up to `complete`: the end of its last complete line (CSV, JSON Lines) or record
 * (event files). The bytes after it, `[complete, size)`, are a line or record still being
 * written: the loaders do not read a last line without its line break (it may be cut off), so it
 * is read by the ingest after it is finished. Stored with the offset are
 * fingerprints (SHA-1 of at most 4 KiB each) of the head of the file and of the bytes just before
 * `complete`: both unchanged means the file was only appended to, and only the new bytes are read;
 * either changed (or the file got shorter than `complete`) means it was rewritten, and its points
 * are replaced. Reading the two 4 KiB windows costs the same whatever the file's size; a rewrite
 * that keeps both windows byte-identical and the size unchanged or grown goes unseen.
 *
 * Gzip files cannot be read from an offset: any change of size or fingerprint rereads them whole.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

export const WINDOW = 4096;

/** The `files` row of a path, as ingest uses it. */
export interface FileRow {
  id: number;
  path: string;
  kind: string;
  gzip: boolean;
  size: number;
  complete: number;
  headLen: number;
  headHash: string;
  beforeHash: string;
  points: number;
}

export type Plan =
  | { action: 'skip' }
  /** read from `from`; `all`: delete the file's points first (it was rewritten) */
  | { action: 'read'; from: number; replace: 'none' | 'all' };

export async function readAt(fh: FileHandle, pos: number, len: number): Promise<Uint8Array> {
  const buf = new Uint8Array(Math.max(0, len));
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === buf.length ? buf : buf.subarray(0, got);
}

export function hash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

export interface Fingerprints {
  headHash: string;
  beforeHash: string;
}

/** The fingerprints of a file read up to `complete`. */
export async function fingerprints(fh: FileHandle, complete: number): Promise<Fingerprints> {
  const head = await readAt(fh, 0, Math.min(WINDOW, complete));
  const b0 = Math.max(0, complete - WINDOW);
  const before = await readAt(fh, b0, complete - b0);
  return { headHash: hash(head), beforeHash: hash(before) };
}

export async function planFile(fh: FileHandle, size: number, row: FileRow | undefined): Promise<Plan> {
  if (!row) return { action: 'read', from: 0, replace: 'none' };
  if (size < row.complete) return { action: 'read', from: 0, replace: 'all' };
  const now = await fingerprints(fh, row.complete);
  const same = now.headHash === row.headHash && now.beforeHash === row.beforeHash;
  if (row.gzip) return same && size === row.size ? { action: 'skip' } : { action: 'read', from: 0, replace: 'all' };
  if (!same) return { action: 'read', from: 0, replace: 'all' };
  // the same size: nothing new; the unfinished line, if any, may change but is not read yet
  if (size === row.size) return { action: 'skip' };
  return { action: 'read', from: row.complete, replace: 'none' };
}

/** End of the last complete line in bytes[0, n): one past its `\n`, 0 when there is none. */
export function lastLineEnd(bytes: Uint8Array): number {
  return bytes.lastIndexOf(10) + 1;
}

/** End of the last complete TFRecord (u64 length, u32 crc, data, u32 crc) in bytes, from 0. */
export function lastRecordEnd(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos + 12 <= bytes.length) {
    const len = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 2 ** 32;
    const end = pos + 16 + len;
    if (end > bytes.length) break;
    pos = end;
  }
  return pos;
}

/**
 * Bytes a CSV parser must see again before reading from an offset: the header line (after a
 * byte-order mark and blank lines). 0 when the complete part holds no full line.
 */
export function csvHeaderLength(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 10 || bytes[i] === 13 || bytes[i] === 32 || bytes[i] === 9)) i++;
  const nl = bytes.indexOf(10, i);
  return nl < 0 ? 0 : nl + 1;
}
