import { describe, expect, test } from 'vitest';
import { createJsonlParser, parseJsonl } from '../../src/loaders/jsonl';
import { loadBlobs } from '../../src/loaders/load';
import { createIncrementalParser } from '../../src/loaders/parse';
import { LoadError } from '../../src/loaders/rows';
import { mulberry32, randInt } from './prng';
import { errorOf, plain } from './loader-helpers';

const LONG = [
  '{"run": "a", "metric": "loss", "subset": "train", "step": 1, "value": 2.5, "time_ms": 100}',
  '{"run": "a", "metric": "loss", "subset": "eval", "step": 1, "value": NaN, "wall_time": 1700000000}',
  '',
  '{"subset": "train", "metric": "loss", "run": "a", "step": 2, "value": "inf", "time_ms": 200}\r',
  '{"run": "b", "metric": "loss", "step": 5, "value": -Infinity, "seed": 3, "note": "say \\"NaN\\" \\u00e9"}',
  '{"run": "b", "metric": "loss", "step": 6, "value": null, "seed": 3, "note": "say \\"NaN\\" \\u00e9"}',
].join('\n');

describe('JSON Lines', () => {
  test('long format: fields, bare NaN/Infinity, string numbers, null', () => {
    const s = parseJsonl('m.jsonl', LONG).columns();
    expect(s.map((x) => x.fields)).toEqual([
      { run: 'a', metric: 'loss', subset: 'train' },
      { run: 'a', metric: 'loss', subset: 'eval' },
      { run: 'b', metric: 'loss', seed: '3', note: 'say "NaN" é' },
    ]);
    expect(Array.from(s[0].value)).toEqual([2.5, Infinity]);
    expect(Array.from(s[0].time!)).toEqual([100, 200]);
    expect(Array.from(s[1].value)).toEqual([NaN]);
    expect(Array.from(s[1].wall!)).toEqual([1.7e12]);
    expect(Array.from(s[2].value)).toEqual([-Infinity, NaN]);
    expect(s[2].key).toBe('b\u0000loss\u0000note=say "NaN" é\u0000seed=3');
  });

  test('wide format: every other number is a metric', () => {
    const s = parseJsonl('exp3.jsonl', '{"step": 1, "loss": 2.5, "lr": 0.001, "epoch": 0, "subset": "train"}\n{"step": 2, "loss": 2.0, "lr": null, "epoch": 0}\n').columns();
    expect(s.map((x) => x.fields)).toEqual([
      { subset: 'train', run: 'exp3', metric: 'loss' },
      { subset: 'train', run: 'exp3', metric: 'lr' },
      { run: 'exp3', metric: 'loss' },
      { run: 'exp3', metric: 'lr' },
    ]);
    expect(Array.from(s[1].value)).toEqual([Math.fround(0.001)]);
    expect(Array.from(s[3].value)).toEqual([NaN]);
    expect(Array.from(s[0].epoch!)).toEqual([0]);
  });

  test('pushed in random pieces (splitting UTF-8 sequences too) equals one push', () => {
    const once = plain(parseJsonl('m.jsonl', LONG).columns());
    const bytes = new TextEncoder().encode(LONG);
    for (let seed = 1; seed <= 100; seed++) {
      const rand = mulberry32(seed);
      const p = createIncrementalParser('m.jsonl');
      for (let i = 0; i < bytes.length; ) {
        const n = randInt(rand, 1, 8);
        p.push(bytes.subarray(i, i + n));
        i += n;
      }
      p.end();
      expect(plain(p.all())).toEqual(once);
    }
  });

  test('a partial last line waits; at the end an incomplete one is dropped with a warning', () => {
    const p = createIncrementalParser('live.jsonl', 'jsonl');
    expect(p.push('{"step": 1, "value": 1}\n{"step": 2, "val')).toHaveLength(1);
    const more = p.push('ue": 2}\n{"step": 3');
    expect(Array.from(more[0].step)).toEqual([2]);
    expect(p.end()).toEqual([]);
    expect(p.warnings).toEqual(['live.jsonl: line 3: the last line is not complete JSON (the file may be incomplete); it was ignored']);
  });

  test('bad lines: the error names the file and line', () => {
    const text = '{"step": 1, "value": 1}\n{"step": 2, "value": 1}\n{"step": 3, value: 1}\n';
    expect(errorOf(() => parseJsonl('log.jsonl', text)).message).toMatch(/^log\.jsonl: line 3: not valid JSON \(/);
    expect(errorOf(() => parseJsonl('log.jsonl', '[1, 2]\n')).message).toBe('log.jsonl: line 1: not a JSON object');
    expect(errorOf(() => parseJsonl('log.jsonl', '{"value": 1}\n')).message).toBe('log.jsonl: line 1: no "step"');
    expect(errorOf(() => parseJsonl('log.jsonl', '{"step": 1, "value": "abc"}\n')).message).toBe('log.jsonl: line 1: value "abc" is not a number');
    expect(errorOf(() => parseJsonl('log.jsonl', '{"step": 1, "note": "x"}\n')).message).toBe('log.jsonl: line 1: no "value" (nor any other numeric field)');
    const p = createJsonlParser('log.jsonl');
    expect(() => p.push('nope\n')).toThrow(LoadError);
    expect(() => p.push('{"step": 1, "value": 1}\n')).toThrow('log.jsonl: line 1');
  });

  test('loadBlobs: a bad JSON Lines file next to a good one', async () => {
    const res = await loadBlobs([
      { blob: new Blob(['{"run":"r","step":1,"value":1}\n']), name: 'ok.ndjson' },
      { blob: new Blob(['{"run":"r","step":1,"value":1}\n{oops}\n']), name: 'bad.jsonl' },
    ]);
    expect(res.series).toHaveLength(1);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0].file).toBe('bad.jsonl');
    expect(res.errors[0].message).toMatch(/^line 2: not valid JSON/);
  });

  test('speed: 200k lines', () => {
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) lines.push(JSON.stringify({ run: `r${i % 20}`, metric: 'loss', subset: i % 3 ? 'train' : 'eval', step: i, value: Math.sin(i), time_ms: i * 100 }));
    const text = lines.join('\n') + '\n';
    const t0 = performance.now();
    const t = parseJsonl('speed.jsonl', text);
    const ms = performance.now() - t0;
    console.log(`jsonl: ${(text.length / 1e6).toFixed(1)} MB, 200k lines in ${ms.toFixed(0)} ms (${(text.length / 1e3 / ms).toFixed(0)} MB/s)`);
    expect(t.points).toBe(200_000);
    expect(t.size).toBe(40);
  });
});
