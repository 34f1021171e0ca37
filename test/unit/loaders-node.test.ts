/**
 * The loaders' public entry (`metricgl/loaders`) in Node, without a DOM: a server ingests logs
 * with the same parsers the browser uses. Importing it must not need the chart, the GPU or a
 * window; only `loadFiles` (a Web Worker) is browser-only.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import * as loaders from '../../src/loaders/index';
import { concat, eventProto, fileVersionProto, record } from '../fixtures/tfevents';

describe('metricgl/loaders in Node', () => {
  test('imports without a DOM', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    expect(typeof loaders.loadFiles).toBe('function');
  });

  test('parseCsv, parseJsonl, parseTfevents', () => {
    const csv = loaders.parseCsv('loss.csv', 'run,step,value\na,0,1.5\na,1,1.25\n').columns();
    expect(csv.map((s) => [s.key, Array.from(s.step), Array.from(s.value)])).toEqual([['a\u0000value', [0, 1], [1.5, 1.25]]]);
    const jsonl = loaders.parseJsonl('r.jsonl', '{"step": 1, "loss": 2, "lr": 0.5}\n').columns();
    expect(jsonl.map((s) => s.metric)).toEqual(['loss', 'lr']);
    const events = concat([record(fileVersionProto(1.7e9)), record(eventProto({ step: 3, wall: 1.7e9, tag: 'train/loss', value: 0.25 }))]);
    const tf = loaders.parseTfevents('exp1/events.out.tfevents.1', events).columns();
    expect(tf.map((s) => [s.run, s.metric, s.fields.subset, Array.from(s.value)])).toEqual([['exp1', 'loss', 'train', [0.25]]]);
  });

  test('createFileParser and createIncrementalParser, fed bytes', () => {
    const bytes = new TextEncoder().encode('step,value\n0,1\n1,2\n');
    const p = loaders.createFileParser('m.csv', loaders.loaderFor('m.csv', bytes));
    p.push(bytes);
    p.end();
    expect(p.table.columns().map((s) => Array.from(s.value))).toEqual([[1, 2]]);
    const live = loaders.createIncrementalParser('live.jsonl');
    expect(live.push('{"step": 0, "value": 1}\n{"step": 1,')).toHaveLength(1);
    expect(live.push(' "value": 2}\n').map((s) => Array.from(s.step))).toEqual([[1]]);
  });

  test('loadBlobs reads Blobs, gzip included', async () => {
    const text = 'step,value\n0,1\n5,2\n';
    const r = await loaders.loadBlobs([
      { blob: new Blob([text]), name: 'a.csv' },
      { blob: new Blob([gzipSync(text)]), name: 'b.csv.gz' },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.series.map((s) => [s.run, Array.from(s.step)])).toEqual([
      ['a', [0, 5]],
      ['b', [0, 5]],
    ]);
  });
});
