// Tailing a folder of training logs (CSV, JSONL, TensorBoard tfevents) for the demo's live view,
// and the listing the metricgl server's --logdir and `ingest DIR` use (src/server/logdir.ts, cli.ts).
// Plain Node ES module, no build step: demo/serve.mjs runs it directly, the unit tests import it
// (types in tail.d.mts).
//
// The unit of transfer is a COMPLETE unit of the file's format, so the browser never sees half a
// record that a training script is still writing:
//   csv, jsonl  complete lines: the text up to and including the last '\n' (a '\r' before it, CRLF,
//               is left in the text for the parser to strip). A partial last line waits.
//   tfevents    complete TFRecords: uint64 LE length, uint32 masked CRC32C of the length, `length`
//               bytes of data, uint32 masked CRC32C of the data. An incomplete record waits.
// The tailer only FRAMES records by their length; it does not verify the CRCs (the browser's
// tfevents parser does, and skips or reports a corrupt record). A corrupt length therefore makes
// the rest of that file wait: it is never sent as garbage.
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** @typedef {'csv' | 'jsonl' | 'tfevents'} LogKind */

/** Folders never descended into (besides hidden ones, whose name starts with '.'). */
const SKIP_DIRS = new Set(['node_modules', '__pycache__']);
const MAX_DEPTH = 16;
/**
 * A rewrite that did not shrink the file (truncated and regrown between two polls, or rewritten
 * in place) keeps its inode and may keep its first bytes (a CSV header, the first steps of a
 * restarted run). Each file's first HEAD_BYTES and the TAIL_BYTES just before the offset read so
 * far are remembered and compared on every change: the bytes right before the offset hold the
 * last lines sent (the latest steps and values), which a new run writing over the file does not
 * reproduce. Reading the whole prefix again on every append would cost the file's size per poll.
 */
const HEAD_BYTES = 256;
const TAIL_BYTES = 1024;
// a regular file is opened without following a link put in its place since it was listed
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * The kind of a log file by its name, or null for files that are not logs.
 * `*.csv` csv; `*.jsonl` / `*.ndjson` jsonl; a name containing `tfevents` (TensorBoard writes
 * `events.out.tfevents.<time>.<host>...`) tfevents.
 * @param {string} name
 * @returns {LogKind | null}
 */
export function kindOf(name) {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).toLowerCase();
  if (base.startsWith('.')) return null;
  if (base.includes('tfevents')) return 'tfevents';
  if (base.endsWith('.csv')) return 'csv';
  if (base.endsWith('.jsonl') || base.endsWith('.ndjson')) return 'jsonl';
  return null;
}

/**
 * The complete units at the start of `buf`.
 * `units` is `buf.subarray(0, consumed)` (no copy); `need` is the smallest buffer length that could
 * hold one more complete unit (exact for tfevents once a record's header is there; for lines,
 * `buf.length + 1`) — how much to read before trying again.
 * @template {Uint8Array} T
 * @param {LogKind} kind
 * @param {T} buf
 * @returns {{ units: T, consumed: number, need: number }}
 */
export function completeUnits(kind, buf) {
  let consumed = 0;
  let need;
  if (kind === 'tfevents') {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (;;) {
      if (buf.length - consumed < 12) {
        need = consumed + 12;
        break;
      }
      const lo = view.getUint32(consumed, true);
      const hi = view.getUint32(consumed + 4, true);
      const end = consumed + 16 + hi * 2 ** 32 + lo; // exact up to 2^53; beyond, never complete
      if (end > buf.length) {
        need = end;
        break;
      }
      consumed = end;
    }
  } else if (kind === 'csv' || kind === 'jsonl') {
    consumed = buf.lastIndexOf(10) + 1;
    need = buf.length + 1;
  } else {
    throw new Error(`unknown log kind: ${kind}`);
  }
  return { units: /** @type {T} */ (buf.subarray(0, consumed)), consumed, need };
}

/**
 * Every log file under `dir` (recursively, skipping hidden folders and node_modules), sorted by
 * path. A missing `dir` has no files.
 *
 * Symbolic links: one whose target (fully resolved) is inside `dir` is followed, file or folder
 * (a folder reached twice is listed once, so links cannot loop). One that leads outside `dir` is
 * skipped and reported to `onSkip` unless `followLinks` is set: a link in a log folder must not
 * stream /etc/passwd to a page. Dangling links are skipped silently.
 * @param {string} dir
 * @param {{ followLinks?: boolean, onSkip?: (path: string, target: string) => void }} [options]
 *   onSkip gets the link's path relative to dir ('/'-separated) and its resolved target
 * @returns {Promise<Array<{ path: string, abs: string, kind: LogKind, size: number, ino: number, mtimeMs: number }>>}
 */
export async function listLogFiles(dir, options = {}) {
  const { followLinks = false, gzip = false, onSkip } = options;
  /** @param {string} name */
  const kindIn = (name) => kindOf(name) ?? (gzip && /\.gz$/i.test(name) ? kindOf(name.slice(0, -3)) : null);
  /** @type {Array<{ path: string, abs: string, kind: LogKind, size: number, ino: number, mtimeMs: number }>} */
  const out = [];
  let root;
  try {
    root = await realpath(dir);
  } catch {
    return [];
  }
  const inside = (/** @type {string} */ p) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
  const seenDirs = new Set();
  /** @param {string} abs path to read (links resolved) @param {string} shown path under dir @param {number} depth */
  async function walk(abs, shown, depth) {
    let st;
    try {
      st = await stat(abs);
    } catch {
      return;
    }
    const key = `${st.dev}:${st.ino}`;
    if (seenDirs.has(key)) return;
    seenDirs.add(key);
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch {
      return; // vanished, or not readable
    }
    // by name: which of two paths to one folder is listed must not depend on readdir's order
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      let p = join(abs, e.name);
      const rel = join(shown, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        let target;
        try {
          target = await realpath(p);
          const t = await stat(target);
          isDir = t.isDirectory();
          isFile = t.isFile();
        } catch {
          continue; // dangling link
        }
        if (!followLinks && !inside(target)) {
          if ((isDir || (isFile && kindIn(e.name))) && onSkip) onSkip(toPosix(rel), target);
          continue;
        }
        p = target;
      }
      if (isDir) {
        if (depth < MAX_DEPTH && !SKIP_DIRS.has(e.name)) await walk(p, rel, depth + 1);
        continue;
      }
      if (!isFile) continue;
      const kind = kindIn(e.name);
      if (!kind) continue;
      let fst;
      try {
        fst = await stat(p);
      } catch {
        continue; // removed between readdir and stat
      }
      out.push({ path: toPosix(rel), abs: p, kind, size: fst.size, ino: fst.ino, mtimeMs: fst.mtimeMs });
    }
  }
  await walk(root, '', 0);
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

/** @param {string} p */
function toPosix(p) {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * @param {import('node:fs/promises').FileHandle} fh
 * @param {number} position
 * @param {number} length
 */
async function readAt(fh, position, length) {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break; // the file shrank meanwhile: the next scan sees it
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/**
 * Per-file offsets into a log folder, and what is new since: each `scan()` yields, file by file,
 * the complete units written since the previous scan.
 *
 * A chunk's `offset` is where its `data` starts in the file. A file that shrank, was replaced by
 * another (new inode), or whose first bytes or bytes just before the offset changed (truncated
 * and written again between two scans, even to the same length and with the same first lines) is
 * read again from 0 and its first chunk carries `reset: true` (with empty `data` when nothing
 * complete is there yet), so the reader drops what it had for that file.
 */
export class Tailer {
  /**
   * @param {string} dir
   * @param {{ maxChunk?: number, followLinks?: boolean, onSkip?: (path: string, target: string) => void }} [options]
   *   maxChunk: bytes read per chunk (default 4 MiB; one record longer than that is still sent
   *   whole); followLinks, onSkip: as listLogFiles
   */
  constructor(dir, options = {}) {
    this.dir = dir;
    this.maxChunk = Math.max(1, options.maxChunk ?? 4 * 1024 * 1024);
    this.listOptions = { followLinks: Boolean(options.followLinks), onSkip: options.onSkip };
    /** @type {Map<string, { kind: LogKind, offset: number, size: number, mtimeMs: number, ino: number, head: Buffer, tail: Buffer }>} */
    this.files = new Map();
  }

  /** Offsets (bytes consumed and sent) by relative path. @returns {Record<string, number>} */
  offsets() {
    return Object.fromEntries([...this.files].map(([k, v]) => [k, v.offset]));
  }

  /**
   * New complete units of every file, in path order. Offsets advance as chunks are yielded: run
   * one scan at a time (the next scan starts where the last yielded chunk ended).
   * @returns {AsyncGenerator<{ file: string, kind: LogKind, offset: number, reset: boolean, data: Buffer }>}
   */
  async *scan() {
    for (const f of await listLogFiles(this.dir, this.listOptions)) {
      let st = this.files.get(f.path);
      if (st && st.ino === f.ino && st.size === f.size && st.mtimeMs === f.mtimeMs) continue;
      let reset = false;
      /** @param {NonNullable<typeof st>} s */
      const restart = (s) => {
        s.offset = 0;
        s.head = Buffer.alloc(0);
        s.tail = Buffer.alloc(0);
      };
      if (!st) {
        st = { kind: f.kind, offset: 0, size: -1, mtimeMs: -1, ino: f.ino, head: Buffer.alloc(0), tail: Buffer.alloc(0) };
        this.files.set(f.path, st);
      } else if (st.ino !== f.ino || f.size < st.offset) {
        reset = st.offset > 0;
        restart(st);
        st.ino = f.ino;
      }
      let fh;
      try {
        fh = await open(f.abs, OPEN_FLAGS);
      } catch {
        continue; // removed since listing; its state stays and a file reappearing resets
      }
      try {
        if (!reset && st.offset > 0) {
          // same inode, not shorter: still the bytes that were sent? (see HEAD_BYTES)
          const head = await readAt(fh, 0, st.head.length);
          const tail = await readAt(fh, st.offset - st.tail.length, st.tail.length);
          if (!head.equals(st.head) || !tail.equals(st.tail)) {
            reset = true;
            restart(st);
          }
        }
        let pos = st.offset;
        while (pos < f.size) {
          let buf = await readAt(fh, pos, Math.min(f.size - pos, this.maxChunk));
          let r = completeUnits(st.kind, buf);
          // one unit longer than maxChunk: read on until it is complete (or known not to be yet)
          while (r.consumed === 0 && buf.length < f.size - pos && r.need <= f.size - pos) {
            const want = Math.min(f.size - pos, Math.max(r.need, buf.length * 2));
            buf = await readAt(fh, pos, want);
            r = completeUnits(st.kind, buf);
          }
          if (r.consumed === 0) break;
          const data = r.units;
          if (st.head.length < HEAD_BYTES && pos < HEAD_BYTES) {
            st.head = Buffer.concat([st.head, data.subarray(0, HEAD_BYTES - pos)]);
          }
          // the TAIL_BYTES ending at the new offset (copied: `data` is handed to the caller)
          st.tail =
            data.length >= TAIL_BYTES
              ? Buffer.from(data.subarray(data.length - TAIL_BYTES))
              : Buffer.concat([st.tail, data]).subarray(-TAIL_BYTES);
          st.offset = pos + r.consumed;
          const chunk = { file: f.path, kind: st.kind, offset: pos, reset, data };
          reset = false;
          pos = st.offset;
          yield chunk;
        }
        if (reset) yield { file: f.path, kind: st.kind, offset: 0, reset: true, data: Buffer.alloc(0) };
        st.size = f.size;
        st.mtimeMs = f.mtimeMs;
      } finally {
        await fh.close();
      }
    }
  }
}
