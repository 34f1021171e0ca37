import { describe, expect, test } from 'vitest';
import { createJsonlParser, parseJsonl } from '../../src/loaders/jsonl';
import { loadBlobs } from '../../src/loaders/load';
import { createIncrementalParser } from '../../src/loaders/parse';
import { mulberry32, randInt } from './prng';
import { plain } from './loader-helpers';

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
    expect(p.warnings).toEqual(['live.jsonl: line 3: the last line is not complete JSON (the file may still be being written) (line skipped)']);
  });

  test('bad lines: a warning naming the file and line; the line is skipped, the others read', () => {
    const warningsOf = (text: string) => {
      const p = createJsonlParser('log.jsonl');
      p.push(text);
      p.end();
      return p.warnings;
    };
    const text = '{"step": 1, "value": 1}\n{"step": 2, "value": 1}\n{"step": 3, value: 1}\n{"step": 4, "value": 1}\n';
    const p = createJsonlParser('log.jsonl');
    p.push(text);
    p.end();
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/^log\.jsonl: line 3: not valid JSON \(.*\) \(line skipped\)$/);
    expect(Array.from(p.table.columns()[0].step)).toEqual([1, 2, 4]);
    expect(warningsOf('[1, 2]\n')).toEqual(['log.jsonl: line 1: not a JSON object (line skipped)']);
    expect(warningsOf('{"value": 1}\n')).toEqual(['log.jsonl: line 1: no "step" (line skipped)']);
    expect(warningsOf('{"step": 1, "value": "abc"}\n')).toEqual(['log.jsonl: line 1: value "abc" is not a number (line skipped)']);
    expect(warningsOf('{"step": 1, "note": "x"}\n')).toEqual(['log.jsonl: line 1: no "value" (nor any other numeric field) (line skipped)']);
    // a wide line with one bad number adds none of its metrics
    const q = createJsonlParser('w.jsonl');
    q.push('{"step": 1, "loss": 2, "acc": 0.1, "time_ms": "x"}\n{"step": 2, "loss": 3, "acc": 0.5}\n');
    expect(q.warnings).toEqual(['w.jsonl: line 1: time_ms "x" is not a number (line skipped)']);
    expect(q.table.columns().map((s) => [s.metric, Array.from(s.step)])).toEqual([
      ['loss', [2]],
      ['acc', [2]],
    ]);
  });

  test('loadBlobs: a bad JSON Lines file next to a good one', async () => {
    const res = await loadBlobs([
      { blob: new Blob(['{"run":"r","step":1,"value":1}\n']), name: 'ok.ndjson' },
      { blob: new Blob(['{"run":"r","step":1,"value":1}\n{oops}\n']), name: 'bad.jsonl' },
    ]);
    // a bad line is not a bad file: both load, the line is a warning
    expect(res.series).toHaveLength(1);
    expect(Array.from(res.series[0].step)).toEqual([1, 1]);
    expect(res.errors).toEqual([]);
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0].file).toBe('bad.jsonl');
    expect(res.warnings[0].message).toMatch(/^line 2: not valid JSON \(.*\) \(line skipped\)$/);
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
