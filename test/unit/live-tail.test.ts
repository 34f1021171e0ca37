import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { completeUnits, kindOf, listLogFiles, Tailer, type TailChunk } from '../../src/node/tail.mjs';

// --- TFRecords, built by hand with real masked CRC32Cs (the server only frames; the CRCs make
// the bytes a valid tfevents stream, so a reader of these chunks could verify them) -------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function maskedCrc(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

function tfrecord(data: Uint8Array | string): Buffer {
  const d = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  const out = Buffer.alloc(16 + d.length);
  out.writeBigUInt64LE(BigInt(d.length), 0);
  out.writeUInt32LE(maskedCrc(out.subarray(0, 8)), 8);
  d.copy(out, 12);
  out.writeUInt32LE(maskedCrc(d), 12 + d.length);
  return out;
}

async function collect(t: Tailer): Promise<TailChunk[]> {
  const out: TailChunk[] = [];
  for await (const c of t.scan()) out.push(c);
  return out;
}

const text = (chunks: TailChunk[]) => chunks.map((c) => c.data.toString('utf8')).join('');

describe('crc32c helper (test-only)', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});

describe('kindOf', () => {
  it('recognises csv, jsonl/ndjson and tfevents by name; others are null', () => {
    expect(kindOf('a/b/metrics.csv')).toBe('csv');
    expect(kindOf('LOG.CSV')).toBe('csv');
    expect(kindOf('x.jsonl')).toBe('jsonl');
    expect(kindOf('x.ndjson')).toBe('jsonl');
    expect(kindOf('run1/events.out.tfevents.1700000000.host.123.0')).toBe('tfevents');
    expect(kindOf('run1\\events.out.tfevents.1')).toBe('tfevents');
    expect(kindOf('notes.txt')).toBeNull();
    expect(kindOf('x.json')).toBeNull();
    expect(kindOf('.metrics.csv.swp')).toBeNull();
    expect(kindOf('.hidden.csv')).toBeNull();
  });
});

describe('completeUnits: lines (csv, jsonl)', () => {
  it('takes everything up to the last newline; a partial last line waits', () => {
    const b = Buffer.from('step,loss\n1,0.5\n2,0.');
    const r = completeUnits('csv', b);
    expect(r.consumed).toBe(16);
    expect(r.units.toString()).toBe('step,loss\n1,0.5\n');
    expect(r.need).toBe(b.length + 1);
  });

  it('no newline at all: nothing; empty buffer: nothing', () => {
    expect(completeUnits('jsonl', Buffer.from('{"step": 1, "lo')).consumed).toBe(0);
    expect(completeUnits('jsonl', Buffer.alloc(0)).consumed).toBe(0);
    expect(completeUnits('csv', new Uint8Array(0)).units.length).toBe(0);
  });

  it('CRLF: the \\r stays with its line; a line ending in \\r without \\n waits', () => {
    const r = completeUnits('csv', Buffer.from('a,b\r\n1,2\r\n3,4\r'));
    expect(r.units.toString()).toBe('a,b\r\n1,2\r\n');
  });

  it('empty lines are units too; a buffer ending in \\n is taken whole', () => {
    const b = Buffer.from('{"a":1}\n\n{"a":2}\n');
    expect(completeUnits('jsonl', b).consumed).toBe(b.length);
    expect(completeUnits('jsonl', Buffer.from('\n')).consumed).toBe(1);
  });

  it('returns a view, not a copy, and works on plain Uint8Arrays', () => {
    const b = new TextEncoder().encode('x\ny');
    const r = completeUnits('csv', b);
    expect(r.units.buffer).toBe(b.buffer);
    expect(r.consumed).toBe(2);
  });

  it('multi-byte UTF-8 is never split (a newline byte never occurs inside a character)', () => {
    const s = 'name,µ\n1,∑\n2,😀';
    const b = Buffer.from(s);
    for (let k = 0; k <= b.length; k++) {
      const u = completeUnits('csv', b.subarray(0, k)).units.toString('utf8');
      expect(u).not.toContain('\ufffd');
      expect(s.startsWith(u)).toBe(true);
    }
  });
});

describe('completeUnits: TFRecords', () => {
  const recs = [tfrecord('first'), tfrecord(new Uint8Array(0)), tfrecord('x'.repeat(300)), tfrecord('last')];
  const all = Buffer.concat(recs);
  const ends = recs.reduce<number[]>((acc, r) => [...acc, (acc.at(-1) ?? 0) + r.length], []);

  it('consumes exactly the whole records at every cut point', () => {
    for (let k = 0; k <= all.length; k++) {
      const want = Math.max(0, ...ends.filter((e) => e <= k));
      const r = completeUnits('tfevents', all.subarray(0, k));
      expect(r.consumed, `cut at ${k}`).toBe(want);
      expect(r.units.length).toBe(want);
    }
  });

  it('need: the header size while the header is incomplete, then the exact record end', () => {
    expect(completeUnits('tfevents', all.subarray(0, 5)).need).toBe(12);
    expect(completeUnits('tfevents', all.subarray(0, 14)).need).toBe(recs[0].length);
    const afterTwo = ends[1];
    expect(completeUnits('tfevents', all.subarray(0, afterTwo + 3)).need).toBe(afterTwo + 12);
    expect(completeUnits('tfevents', all.subarray(0, afterTwo + 12)).need).toBe(ends[2]);
  });

  it('frames only: dummy CRCs are framed the same (the browser parser verifies them)', () => {
    const r = tfrecord('abc');
    r.writeUInt32LE(0, 8);
    r.writeUInt32LE(0, r.length - 4);
    expect(completeUnits('tfevents', r).consumed).toBe(r.length);
  });

  it('a huge (corrupt) length never completes', () => {
    const b = Buffer.alloc(64);
    b.writeBigUInt64LE(0xffff_ffff_ffffn, 0);
    const r = completeUnits('tfevents', b);
    expect(r.consumed).toBe(0);
    expect(r.need).toBeGreaterThan(1e14);
  });

  it('works on a Uint8Array that is a window into a larger buffer', () => {
    const big = new Uint8Array(all.length + 7);
    big.set(all, 7);
    const view = big.subarray(7);
    expect(completeUnits('tfevents', view).consumed).toBe(all.length);
  });
});

describe('Tailer on a temporary folder', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'metricgl-tail-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('half a line gives nothing; the rest gives the line', async () => {
    const t = new Tailer(dir);
    const f = join(dir, 'm.jsonl');
    writeFileSync(f, '{"step": 1, "lo');
    expect(await collect(t)).toEqual([]);
    expect(await collect(t)).toEqual([]); // unchanged: nothing, not even re-read
    appendFileSync(f, 'ss": 0.5}\n{"step"');
    const c = await collect(t);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ file: 'm.jsonl', kind: 'jsonl', offset: 0, reset: false });
    expect(c[0].data.toString()).toBe('{"step": 1, "loss": 0.5}\n');
    appendFileSync(f, ': 2}\n');
    const d = await collect(t);
    expect(d.map((x) => [x.offset, x.data.toString()])).toEqual([[25, '{"step": 2}\n']]);
    expect(t.offsets()).toEqual({ 'm.jsonl': 37 });
  });

  it('sends existing content first, in path order, and picks up new files in (new) subfolders', async () => {
    writeFileSync(join(dir, 'b.csv'), 'step,loss\n1,2\n');
    writeFileSync(join(dir, 'a.csv'), 'step,acc\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored\n');
    mkdirSync(join(dir, '.hidden'));
    writeFileSync(join(dir, '.hidden', 'x.csv'), 'ignored\n');
    const t = new Tailer(dir);
    expect((await collect(t)).map((c) => c.file)).toEqual(['a.csv', 'b.csv']);
    mkdirSync(join(dir, 'run_a'));
    const ev = join(dir, 'run_a', 'events.out.tfevents.1700000000.host');
    const r1 = tfrecord('brain.Event:2');
    const r2 = tfrecord('scalar');
    writeFileSync(ev, Buffer.concat([r1, r2.subarray(0, 10)]));
    let c = await collect(t);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ file: 'run_a/events.out.tfevents.1700000000.host', kind: 'tfevents', offset: 0 });
    expect(c[0].data.equals(r1)).toBe(true);
    appendFileSync(ev, r2.subarray(10));
    c = await collect(t);
    expect(c.map((x) => x.offset)).toEqual([r1.length]);
    expect(c[0].data.equals(r2)).toBe(true);
    mkdirSync(join(dir, 'deep', 'er'), { recursive: true });
    writeFileSync(join(dir, 'deep', 'er', 'log.jsonl'), '{}\n');
    expect((await collect(t)).map((x) => x.file)).toEqual(['deep/er/log.jsonl']);
  });

  it('truncation: the file is sent again from 0 with reset', async () => {
    const f = join(dir, 'm.csv');
    writeFileSync(f, 'step,loss\n1,0.5\n2,0.4\n');
    const t = new Tailer(dir);
    await collect(t);
    writeFileSync(f, 'step,loss\n1,0.9'); // rewritten shorter, last line partial
    let c = await collect(t);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ offset: 0, reset: true });
    expect(c[0].data.toString()).toBe('step,loss\n');
    appendFileSync(f, '\n');
    c = await collect(t);
    expect(c.map((x) => [x.offset, x.reset, x.data.toString()])).toEqual([[10, false, '1,0.9\n']]);
    truncateSync(f, 0);
    c = await collect(t);
    expect(c.map((x) => [x.offset, x.reset, x.data.length])).toEqual([[0, true, 0]]);
    expect(await collect(t)).toEqual([]);
  });

  it('a rewrite that does not shrink the file (new content, same or larger size) is a reset too', async () => {
    const f = join(dir, 'm.csv');
    writeFileSync(f, 'step,loss\n1,0.5\n');
    const t = new Tailer(dir);
    await collect(t);
    writeFileSync(f, 'step,accu\n1,0.7\n2,0.8\n');
    const c = await collect(t);
    expect(c.map((x) => [x.offset, x.reset, x.data.toString()])).toEqual([[0, true, 'step,accu\n1,0.7\n2,0.8\n']]);
  });

  it('a file replaced by another (rename over it) is a reset', async () => {
    const f = join(dir, 'm.jsonl');
    writeFileSync(f, '{"a":1}\n');
    const t = new Tailer(dir);
    await collect(t);
    const tmp = join(dir, 'm.jsonl.tmp');
    writeFileSync(tmp, '{"a":1}\n{"a":2}\n'); // same prefix, new inode
    const { renameSync } = await import('node:fs');
    renameSync(tmp, f);
    const c = await collect(t);
    expect(c.map((x) => [x.offset, x.reset, x.data.toString()])).toEqual([[0, true, '{"a":1}\n{"a":2}\n']]);
  });

  it('a file deleted and written again is a reset; a missing folder has no files', async () => {
    const f = join(dir, 'm.csv');
    writeFileSync(f, 'a\n1\n');
    const t = new Tailer(dir);
    await collect(t);
    rmSync(f);
    expect(await collect(t)).toEqual([]);
    writeFileSync(f, 'a\n');
    const c = await collect(t);
    expect(c.map((x) => [x.offset, x.reset])).toEqual([[0, true]]);
    expect(await collect(new Tailer(join(dir, 'nope')))).toEqual([]);
    expect(await listLogFiles(join(dir, 'nope'))).toEqual([]);
  });

  it('large files come in chunks of at most maxChunk, cut at unit boundaries; a longer unit comes whole', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `${i},${Math.sin(i)}\n`).join('');
    writeFileSync(join(dir, 'big.csv'), lines);
    const recs = [tfrecord('a'.repeat(5000)), ...Array.from({ length: 50 }, (_, i) => tfrecord(`r${i}`))];
    writeFileSync(join(dir, 'events.out.tfevents.1'), Buffer.concat(recs));
    const t = new Tailer(dir, { maxChunk: 1024 });
    const c = await collect(t);
    const csv = c.filter((x) => x.kind === 'csv');
    expect(csv.length).toBeGreaterThan(5);
    expect(text(csv)).toBe(lines);
    let at = 0;
    for (const x of csv) {
      expect(x.offset).toBe(at);
      expect(x.data.length).toBeLessThanOrEqual(1024);
      expect(x.data.at(-1)).toBe(10);
      at += x.data.length;
    }
    const tf = c.filter((x) => x.kind === 'tfevents');
    expect(Buffer.concat(tf.map((x) => x.data)).equals(Buffer.concat(recs))).toBe(true);
    expect(tf[0].data.length).toBe(recs[0].length); // 5016 bytes > maxChunk, sent whole
    for (const x of tf) expect(completeUnits('tfevents', x.data).consumed).toBe(x.data.length);
  });

  it('with followLinks, follows a symlinked run folder outside the folder once (no cycles)', async () => {
    const real = mkdtempSync(join(tmpdir(), 'metricgl-tail-real-'));
    try {
      writeFileSync(join(real, 'l.jsonl'), '{}\n');
      symlinkSync(real, join(dir, 'linked'));
      symlinkSync(dir, join(real, 'loop')); // a cycle back to the top
      const files = await listLogFiles(dir, { followLinks: true });
      expect(files.map((f) => f.path)).toEqual(['linked/l.jsonl']);
    } finally {
      rmSync(real, { recursive: true, force: true });
    }
  });

  it('links that lead outside the folder (to a file, to a folder) are skipped and reported; links inside are followed', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'metricgl-tail-outside-'));
    try {
      writeFileSync(join(outside, 'secret.csv'), 'user,password\nroot,hunter2\n');
      mkdirSync(join(outside, 'runs'));
      writeFileSync(join(outside, 'runs', 'r.jsonl'), '{"secret":1}\n');
      symlinkSync(join(outside, 'secret.csv'), join(dir, 'p.csv')); // ln -s /etc/passwd DIR/p.csv
      symlinkSync(join(outside, 'runs'), join(dir, 'ext'));
      mkdirSync(join(dir, 'sub'));
      symlinkSync('../../' + join(outside, 'secret.csv').split('/').slice(-2).join('/'), join(dir, 'sub', 'rel.csv')); // relative, still outside
      writeFileSync(join(dir, 'sub', 'real.csv'), 'step,loss\n1,2\n');
      symlinkSync(join(dir, 'sub', 'real.csv'), join(dir, 'alias.csv')); // inside: followed
      symlinkSync('sub', join(dir, 'same')); // a folder inside: followed (listed once, under one path)
      symlinkSync(join(outside, 'nothing.csv'), join(dir, 'dangling.csv'));

      const skipped: Array<[string, string]> = [];
      const files = await listLogFiles(dir, { onSkip: (p, t) => skipped.push([p, t]) });
      expect(files.map((f) => f.path)).toEqual(['alias.csv', 'same/real.csv']);
      expect(skipped.sort()).toEqual([
        ['ext', join(outside, 'runs')],
        ['p.csv', join(outside, 'secret.csv')],
        ['same/rel.csv', join(outside, 'secret.csv')], // sub/ is listed as same/: the first name in order
      ]);
      // the tailer reads nothing from outside
      const t = new Tailer(dir);
      const c = await collect(t);
      expect(text(c)).not.toContain('hunter2');
      expect(text(c)).not.toContain('secret');
      expect(c.map((x) => x.file)).toEqual(['alias.csv', 'same/real.csv']);
      // --follow-links: all of them
      const all = await listLogFiles(dir, { followLinks: true });
      expect(all.map((f) => f.path)).toEqual(['alias.csv', 'ext/r.jsonl', 'p.csv', 'same/real.csv', 'same/rel.csv']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('gzip logs are listed only with the gzip option, under the kind of their inner name', async () => {
    mkdirSync(join(dir, 'z'), { recursive: true });
    writeFileSync(join(dir, 'z', 'a.csv.gz'), gzipSync('x\n'));
    writeFileSync(join(dir, 'z', 'b.jsonl.GZ'), gzipSync('{}\n'));
    writeFileSync(join(dir, 'z', 'notes.txt.gz'), gzipSync('hi\n'));
    try {
      expect((await listLogFiles(join(dir, 'z'))).map((f) => f.path)).toEqual([]);
      const all = await listLogFiles(join(dir, 'z'), { gzip: true });
      expect(all.map((f) => [f.path, f.kind])).toEqual([
        ['a.csv.gz', 'csv'],
        ['b.jsonl.GZ', 'jsonl'],
      ]);
    } finally {
      rmSync(join(dir, 'z'), { recursive: true, force: true });
    }
  });

  it('a logdir that is itself a symlink is read (its links are judged against its real path)', async () => {
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    try {
      writeFileSync(join(dir, 'a.csv'), 'x\n');
      symlinkSync(join(dir, 'a.csv'), join(dir, 'b.csv'));
      expect((await listLogFiles(link)).map((f) => f.path)).toEqual(['a.csv', 'b.csv']);
    } finally {
      rmSync(link);
    }
  });
});

describe('Tailer: a rewrite between two scans that keeps the first bytes', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'metricgl-tail-rw-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const rows = (from: number, to: number, v: (i: number) => number) =>
    Array.from({ length: to - from }, (_, k) => `${from + k},${v(from + k).toFixed(6)}\n`).join('');

  it('same first 300+ bytes, different later lines, longer: reset and everything again', async () => {
    const f = join(dir, 'm.csv');
    const same = `step,loss\n${rows(0, 30, (i) => 1 / (i + 1))}`;
    expect(same.length).toBeGreaterThan(256);
    writeFileSync(f, same + rows(30, 40, (i) => 1 / (i + 1)));
    const t = new Tailer(dir);
    await collect(t);
    const after = same + rows(30, 45, (i) => 7 + i);
    writeFileSync(f, after);
    const c = await collect(t);
    expect(c[0]).toMatchObject({ offset: 0, reset: true });
    expect(text(c)).toBe(after);
  });

  it('same length exactly, only the last line differs: reset', async () => {
    const f = join(dir, 'm.jsonl');
    const body = Array.from({ length: 200 }, (_, i) => JSON.stringify({ step: i, loss: 1 })).join('\n') + '\n';
    writeFileSync(f, body);
    const t = new Tailer(dir);
    await collect(t);
    const changed = body.slice(0, -3) + '2}\n';
    expect(changed.length).toBe(body.length);
    writeFileSync(f, changed);
    const c = await collect(t);
    expect(c.map((x) => [x.offset, x.reset])).toEqual([[0, true]]);
    expect(text(c)).toBe(changed);
  });

  it('a rewrite with the same bytes up to the offset and more after is an append, not a reset', async () => {
    const f = join(dir, 'm.csv');
    const first = `step,loss\n${rows(0, 100, (i) => i)}`;
    writeFileSync(f, first);
    const t = new Tailer(dir);
    await collect(t);
    writeFileSync(f, first + rows(100, 102, (i) => i)); // rewritten whole, what was sent is still true
    const c = await collect(t);
    expect(c.map((x) => [x.offset, x.reset, x.data.toString()])).toEqual([[first.length, false, rows(100, 102, (i) => i)]]);
  });

  it('appends across many chunks keep the check right (the bytes before the offset span chunks)', async () => {
    const f = join(dir, 'big.csv');
    const a = `step,v\n${rows(0, 2000, (i) => i)}`;
    writeFileSync(f, a);
    const t = new Tailer(dir, { maxChunk: 700 });
    await collect(t);
    appendFileSync(f, rows(2000, 2001, (i) => i));
    expect((await collect(t)).map((x) => x.reset)).toEqual([false]);
    // now change one line just before the offset, same length
    const whole = a + rows(2000, 2001, (i) => i);
    const k = whole.lastIndexOf('1999,');
    const edited = whole.slice(0, k) + '1999,9' + whole.slice(k + 6);
    expect(edited.length).toBe(whole.length);
    writeFileSync(f, edited + rows(2001, 2002, (i) => i));
    const c = await collect(t);
    expect(c[0]).toMatchObject({ offset: 0, reset: true });
    expect(text(c)).toBe(edited + rows(2001, 2002, (i) => i));
  });
});
