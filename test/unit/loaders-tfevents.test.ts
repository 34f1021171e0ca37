import { describe, expect, test } from 'vitest';
import { crc32c, maskCrc, maskedCrc32c } from '../../src/loaders/crc32c';
import { loaderFor } from '../../src/loaders/detect';
import { loadBlobs } from '../../src/loaders/load';
import { createIncrementalParser } from '../../src/loaders/parse';
import { createTfeventsParser, parseTfevents, runOfPath, splitTag } from '../../src/loaders/tfevents';
import { concat, crc32cBitwise, eventProto, pluginMetadata, record, writeEvents, type ScalarEvent } from '../fixtures/tfevents';
import { mulberry32, randInt } from './prng';
import { errorOf, plain } from './loader-helpers';

const enc = (s: string) => new TextEncoder().encode(s);

const FILE = 'logs/exp1/events.out.tfevents.1700000000.host';

/** A mixed file: simple values and the three tensor encodings, steps up to 2^40. */
function sample(): ScalarEvent[] {
  const kinds = ['simple', 'tensor', 'tensor-double', 'tensor-float-val'] as const;
  const out: ScalarEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const step = i === 39 ? 2 ** 40 : i * 1000 + (i % 3);
    out.push({ step, wall: 1.7e9 + i * 1.25, tag: 'train/loss', value: 3 - i / 20, kind: kinds[i % 4] });
    if (i % 5 === 0) out.push({ step, wall: 1.7e9 + i * 1.25 + 0.5, tag: 'eval_loss', value: 2.5 - i / 40, kind: kinds[(i + 1) % 4] });
    if (i % 10 === 0) out.push({ step, wall: 1.7e9 + i * 1.25, tag: 'lr', value: 1e-3 * (1 - i / 40), kind: 'tensor-double' });
  }
  return out;
}

describe('CRC32C', () => {
  test('known vectors', () => {
    expect(crc32c(enc('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  test('table-driven (slicing by 8) equals bitwise, every length and offset', () => {
    const rand = mulberry32(11);
    const bytes = Uint8Array.from({ length: 300 }, () => randInt(rand, 0, 256));
    for (let from = 0; from < 9; from++) {
      for (let to = from; to <= bytes.length; to += 7) expect(crc32c(bytes, from, to)).toBe(crc32cBitwise(bytes.subarray(from, to)));
    }
  });

  test('mask', () => {
    const c = crc32c(enc('123456789'));
    expect(maskCrc(c)).toBe((((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
    expect(maskedCrc32c(enc('123456789'))).toBe(maskCrc(c));
  });
});

describe('event files', () => {
  test('round trip: simple values and scalar tensors, steps to 2^40, wall and relative time', () => {
    const events = sample();
    const series = parseTfevents(FILE, writeEvents(events)).columns();
    expect(series.map((s) => [s.run, s.metric, s.fields.subset])).toEqual([
      ['exp1', 'loss', 'train'],
      ['exp1', 'loss', 'eval'],
      ['exp1', 'lr', undefined],
    ]);
    for (const [s, tag] of [[series[0], 'train/loss'], [series[1], 'eval_loss'], [series[2], 'lr']] as const) {
      const want = events.filter((e) => e.tag === tag);
      expect(Array.from(s.step)).toEqual(want.map((e) => e.step));
      expect(Array.from(s.value)).toEqual(want.map((e) => Math.fround(e.value)));
      expect(Array.from(s.wall!)).toEqual(want.map((e) => e.wall * 1000));
      // relative to the run's first point (1.7e9 s)
      expect(Array.from(s.time!)).toEqual(want.map((e) => e.wall * 1000 - 1.7e12));
    }
    expect(series[0].step[series[0].step.length - 1]).toBe(1099511627776);
    expect(series[0].key).toBe('exp1\u0000loss\u0000subset=train');
  });

  test('pushed in random pieces (splitting headers and CRCs) equals one push; partial records wait', () => {
    const bytes = writeEvents(sample());
    const once = plain(parseTfevents(FILE, bytes).columns());
    for (let seed = 1; seed <= 100; seed++) {
      const rand = mulberry32(seed);
      const p = createTfeventsParser(FILE);
      for (let i = 0; i < bytes.length; ) {
        const n = randInt(rand, 1, seed % 2 ? 5 : 60);
        p.push(bytes.subarray(i, i + n));
        i += n;
      }
      p.end();
      expect(p.warnings).toEqual([]);
      expect(plain(p.table.columns())).toEqual(once);
    }
  });

  test('live tail: points arrive as their records complete', () => {
    const a = record(eventProto({ step: 1, wall: 1.7e9, tag: 'loss', value: 1 }));
    const b = record(eventProto({ step: 2, wall: 1.7e9 + 1, tag: 'loss', value: 0.5 }));
    const p = createIncrementalParser('run9/events.out.tfevents.1.h', 'tfevents');
    expect(p.push(a.subarray(0, 5))).toEqual([]);
    const first = p.push(concat([a.subarray(5), b.subarray(0, 14)]));
    expect(first.map((s) => [s.run, s.metric, Array.from(s.step), Array.from(s.time!)])).toEqual([['run9', 'loss', [1], [0]]]);
    const second = p.push(b.subarray(14));
    expect(Array.from(second[0].step)).toEqual([2]);
    expect(Array.from(second[0].time!)).toEqual([1000]);
    expect(p.end()).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  test('an incomplete last record: dropped with a warning at the end', () => {
    const bytes = writeEvents(sample());
    const cut = bytes.subarray(0, bytes.length - 7);
    const p = createTfeventsParser(FILE);
    p.push(cut);
    p.end();
    const full = parseTfevents(FILE, bytes).points;
    expect(p.table.points).toBe(full - 1);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(new RegExp(`^${FILE.replace(/\./g, '\\.')}: record at byte \\d+: incomplete`));
  });

  test('a corrupted byte: the message names the file and the record offset', () => {
    const recs = [record(eventProto({ step: 1, wall: 1.7e9, tag: 'a', value: 1 })), record(eventProto({ step: 2, wall: 1.7e9, tag: 'a', value: 2 }))];
    const bytes = concat(recs);
    const at = recs[0].length;
    // in the data
    const d = bytes.slice();
    d[at + 12 + 3] ^= 0x10;
    // (the framing holds: that record is skipped with a warning, the others are read)
    const pd = createTfeventsParser('e/events.out.tfevents.x');
    pd.push(d);
    pd.end();
    expect(pd.warnings).toEqual([`e/events.out.tfevents.x: record at byte ${at}: the data checksum does not match (the record is corrupt) (record skipped)`]);
    expect(pd.table.points).toBe(1);
    // in the length
    const l = bytes.slice();
    l[at + 1] ^= 0x01;
    expect(errorOf(() => parseTfevents('f', l)).message).toBe(`f: record at byte ${at}: the length checksum does not match (not an event file, or corrupt)`);
    // in a CRC, pushed byte by byte: the warning comes as soon as the record is complete
    const c = bytes.slice();
    c[c.length - 1] ^= 0xff;
    const p = createTfeventsParser('g');
    for (let i = 0; i < c.length; i++) {
      p.push(c.subarray(i, i + 1));
      expect(p.warnings.length).toBe(i === c.length - 1 ? 1 : 0);
    }
    expect(p.warnings[0]).toMatch(/^g: record at byte \d+: the data checksum/);
    expect(p.table.points).toBe(1);
  });

  test('valid framing but not an Event proto', () => {
    const good = record(eventProto({ step: 5, wall: 1.7e9, tag: 'a', value: 1 }));
    const bytes = concat([record(Uint8Array.from([0x0a, 0x10, 1, 2])), good]);
    const p = createTfeventsParser('x.tfevents.1');
    p.push(bytes);
    p.end();
    expect(p.warnings).toEqual(['x.tfevents.1: record at byte 0: not an Event protobuf (length past the end of the message) (record skipped)']);
    expect(Array.from(p.table.columns()[0].step)).toEqual([5]);
  });

  test('non-scalar summaries are skipped', () => {
    // a histogram-plugin tensor with one value, an image-ish string tensor, a 3-element float tensor, a text summary
    const value = (tag: string, body: number[]) => [0x0a, tag.length, ...enc(tag), ...body];
    const lenDelim = (field: number, b: number[]) => [field * 8 + 2, b.length, ...b];
    const f32 = (v: number) => Array.from(new Uint8Array(new Float32Array([v]).buffer));
    const scalarTensor = lenDelim(8, [0x08, 0x01, ...lenDelim(4, f32(1.5))]);
    const shape3 = lenDelim(2, lenDelim(2, [0x08, 3]));
    const evt = (values: number[][]) => {
      const summary = values.flatMap((v) => lenDelim(1, v));
      return record(Uint8Array.from([0x09, ...new Uint8Array(new Float64Array([1.7e9]).buffer), 0x10, 7, ...lenDelim(5, summary)]));
    };
    const bytes = concat([
      evt([value('hist', [...lenDelim(9, pluginMetadata('histograms')), ...scalarTensor])]),
      evt([value('hist', scalarTensor)]), // later points of a skipped tag carry no metadata
      evt([value('str', lenDelim(8, [0x08, 0x07, ...lenDelim(8, [0x61])]))]),
      evt([value('vec', lenDelim(8, [0x08, 0x01, ...shape3, ...lenDelim(5, [...f32(1), ...f32(2), ...f32(3)])]))]),
      evt([value('same3', lenDelim(8, [0x08, 0x01, ...shape3, ...lenDelim(5, f32(1))]))]), // a [3] tensor filled with one value
      evt([value('ok', scalarTensor)]),
      evt([value('ok2', [...lenDelim(9, pluginMetadata('scalars')), 0x15, ...f32(2.5)])]),
    ]);
    const series = parseTfevents('r/events.out.tfevents.1', bytes).columns();
    expect(series.map((s) => [s.metric, Array.from(s.step), Array.from(s.value)])).toEqual([
      ['ok', [7], [1.5]],
      ['ok2', [7], [2.5]],
    ]);
  });

  test('names: run from the folder, subset from a subset folder or the tag', () => {
    expect(runOfPath('logs/exp1/events.out.tfevents.1')).toEqual({ run: 'exp1', subset: null });
    expect(runOfPath('logs/exp1/validation/events.out.tfevents.1')).toEqual({ run: 'exp1', subset: 'validation' });
    expect(runOfPath('C:\\logs\\exp2\\events.out.tfevents.1')).toEqual({ run: 'exp2', subset: null });
    expect(runOfPath('events.out.tfevents.1')).toEqual({ run: 'events.out.tfevents.1', subset: null });
    expect(splitTag('train/loss')).toEqual({ metric: 'loss', subset: 'train' });
    expect(splitTag('loss/eval')).toEqual({ metric: 'loss', subset: 'eval' });
    expect(splitTag('metrics/Val/acc')).toEqual({ metric: 'metrics/acc', subset: 'val' });
    expect(splitTag('train_loss')).toEqual({ metric: 'loss', subset: 'train' });
    expect(splitTag('loss_val')).toEqual({ metric: 'loss', subset: 'val' });
    expect(splitTag('metrics/val_top1_acc')).toEqual({ metric: 'metrics/top1_acc', subset: 'val' });
    expect(splitTag('epoch_loss')).toEqual({ metric: 'epoch_loss', subset: null });
    expect(splitTag('train')).toEqual({ metric: 'train', subset: null });
    expect(splitTag('train/')).toEqual({ metric: 'train/', subset: null });
    expect(splitTag('my_training_time')).toEqual({ metric: 'my_training_time', subset: null });
    // a Keras layout: the folder's subset, unless the tag names one
    const bytes = writeEvents([
      { step: 1, wall: 1.7e9, tag: 'epoch_loss', value: 1 },
      { step: 1, wall: 1.7e9, tag: 'train_acc', value: 1 },
    ]);
    const s = parseTfevents('exp1/validation/events.out.tfevents.2', bytes).columns();
    expect(s.map((x) => x.fields)).toEqual([
      { run: 'exp1', metric: 'epoch_loss', subset: 'validation' },
      { run: 'exp1', metric: 'acc', subset: 'train' },
    ]);
  });

  test('detection: by name or by a valid first record', () => {
    const bytes = writeEvents([{ step: 1, wall: 1, tag: 'a', value: 1 }]);
    expect(loaderFor('whatever.bin', bytes)).toEqual({ kind: 'tfevents' });
    expect(loaderFor('events.out.tfevents.1.host.v2', new Uint8Array(3))).toEqual({ kind: 'tfevents' });
    expect(() => loaderFor('whatever.bin', new Uint8Array(40))).toThrow('whatever.bin: not a CSV, JSON Lines or TensorBoard event file');
  });

  test('loadBlobs: two event files of one run merge, time from the earliest; a corrupt one is reported', async () => {
    const a = writeEvents([{ step: 1, wall: 1.7e9 + 10, tag: 'loss', value: 1 }]);
    const b = writeEvents([{ step: 2, wall: 1.7e9, tag: 'loss', value: 2 }]);
    const bad = a.slice();
    bad[1] ^= 1; // in the first length: the framing is lost, the file cannot be read
    const res = await loadBlobs([
      { blob: new Blob([a]), name: 'events.out.tfevents.1', path: 'runs/r1/events.out.tfevents.1' },
      { blob: new Blob([b]), name: 'events.out.tfevents.2', path: 'runs/r1/events.out.tfevents.2' },
      { blob: new Blob([bad]), name: 'events.out.tfevents.3', path: 'runs/r2/events.out.tfevents.3' },
    ]);
    expect(res.series).toHaveLength(1);
    expect(Array.from(res.series[0].step)).toEqual([1, 2]);
    expect(Array.from(res.series[0].time!)).toEqual([10_000, 0]);
    expect(res.errors).toEqual([{ file: 'runs/r2/events.out.tfevents.3', message: 'record at byte 0: the length checksum does not match (not an event file, or corrupt)' }]);
  });

  test('speed: 200k scalar events', () => {
    const events: ScalarEvent[] = [];
    for (let i = 0; i < 200_000; i++) events.push({ step: i, wall: 1.7e9 + i / 10, tag: i % 2 ? 'train/loss' : 'lr', value: Math.sin(i), kind: i % 4 === 0 ? 'tensor' : 'simple' });
    const bytes = writeEvents(events);
    const t0 = performance.now();
    const t = parseTfevents('r/events.out.tfevents.1', bytes);
    const ms = performance.now() - t0;
    console.log(`tfevents: ${(bytes.length / 1e6).toFixed(1)} MB, 200k events in ${ms.toFixed(0)} ms (${(bytes.length / 1e3 / ms).toFixed(0)} MB/s)`);
    expect(t.points).toBe(200_000);
  });
});
