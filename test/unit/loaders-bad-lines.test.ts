/**
 * Issue 10, items 8 and 11: a bad line is a warning naming the file and line and is skipped,
 * live (pushed in pieces) exactly as when the file is loaded whole; and the loader edge cases
 * (bare NaN in wide JSON Lines, a cut last CSV line, stray quotes, non-finite steps, values
 * beyond float32, `__proto__` columns, text that is not UTF-8).
 */
import { describe, expect, test } from 'vitest';
import { createCsvParser, parseCsv } from '../../src/loaders/csv';
import { parseJsonl } from '../../src/loaders/jsonl';
import { loadBlobs } from '../../src/loaders/load';
import { LISTED } from '../../src/loaders/notes';
import { createIncrementalParser } from '../../src/loaders/parse';
import { LoadError, type LoadedSeries } from '../../src/loaders/rows';
import { createTfeventsParser } from '../../src/loaders/tfevents';
import { concat, eventProto, record } from '../fixtures/tfevents';
import { plain } from './loader-helpers';

const enc = (s: string) => new TextEncoder().encode(s);

/** Push `text` as bytes in pieces of `piece` bytes (a live tail's reads); the points it returned, merged per series. */
function live(name: string, text: string | Uint8Array, piece: number) {
  const p = createIncrementalParser(name);
  const bytes = typeof text === 'string' ? enc(text) : text;
  const got = new Map<string, { step: number[]; value: number[] }>();
  for (let i = 0; i < bytes.length; i += piece) {
    for (const s of p.push(bytes.subarray(i, i + piece))) {
      const g = got.get(s.key) ?? { step: [], value: [] };
      g.step.push(...s.step);
      g.value.push(...s.value);
      got.set(s.key, g);
    }
  }
  return { parser: p, got: [...got.values()] };
}

async function whole(name: string, text: string | Uint8Array) {
  return loadBlobs([{ blob: new Blob([text as BlobPart]), name }]);
}

const pts = (series: LoadedSeries[]) => series.map((s) => ({ step: Array.from(s.step), value: Array.from(s.value) }));

describe('a bad line in a live file: reported, skipped, the lines after it drawn (item 8)', () => {
  const CSV = 'run,step,value\nr,1,0.5\nr,2,0.25\nr,3,oops\nr,4,0.125\nr,5\nr,6,0.0625\n';

  test('CSV pushed in pieces of every size: points before and after, one warning per bad line naming file and line', () => {
    for (const piece of [1, 3, 7, 64]) {
      const { parser, got } = live('train.csv', CSV, piece);
      expect(got).toEqual([{ step: [1, 2, 4, 6], value: [0.5, 0.25, 0.125, 0.0625] }]);
      expect(parser.warnings).toEqual(['train.csv: line 4: value "oops" is not a number (line skipped)', 'train.csv: line 6: 2 fields, the header has 3 (line skipped)']);
    }
  });

  test('CSV loaded whole (after a reload): the same points and the same warnings, no error', async () => {
    const res = await whole('train.csv', CSV);
    expect(res.errors).toEqual([]);
    expect(pts(res.series)).toEqual([{ step: [1, 2, 4, 6], value: [0.5, 0.25, 0.125, 0.0625] }]);
    expect(res.warnings).toEqual([
      { file: 'train.csv', message: 'line 4: value "oops" is not a number (line skipped)' },
      { file: 'train.csv', message: 'line 6: 2 fields, the header has 3 (line skipped)' },
    ]);
    const { got } = live('train.csv', CSV, 5);
    expect(got).toEqual(pts(res.series));
  });

  const JSONL = '{"step": 1, "loss": 3}\n{"step": 2, "loss": 2.5}\n{"step": 3, "loss": \n{"step": 4, "loss": 2}\n';

  test('JSON Lines: live in pieces and whole give the same points and the same warning', async () => {
    const { parser, got } = live('run7.jsonl', JSONL, 4);
    expect(got).toEqual([{ step: [1, 2, 4], value: [3, 2.5, 2] }]);
    expect(parser.warnings).toHaveLength(1);
    expect(parser.warnings[0]).toMatch(/^run7\.jsonl: line 3: not valid JSON \(.*\) \(line skipped\)$/);
    const res = await whole('run7.jsonl', JSONL);
    expect(res.errors).toEqual([]);
    expect(pts(res.series)).toEqual(got);
    expect(res.warnings).toEqual([{ file: 'run7.jsonl', message: parser.warnings[0].slice('run7.jsonl: '.length) }]);
  });

  test('a log that is bad on every line: the first ones are listed, the rest counted', () => {
    const n = LISTED + 10;
    const p = createCsvParser('bad.csv');
    p.push('step,value\n' + 'x,1\n'.repeat(n) + '7,7\n');
    p.end();
    expect(p.warnings).toHaveLength(LISTED + 2);
    expect(p.warnings[0]).toBe('bad.csv: line 2: step "x" is not a number (line skipped)');
    expect(p.warnings[LISTED]).toBe(`bad.csv: more bad lines after line ${LISTED + 1} are skipped without a message each (the count comes at the end of the file)`);
    expect(p.warnings[LISTED + 1]).toBe(`bad.csv: ${n} bad lines were skipped in all`);
    expect(Array.from(p.table.columns()[0].step)).toEqual([7]);
  });

  test('whole-file problems stay fatal: an unknown format, a CSV without step/value, an empty file', async () => {
    const p = createIncrementalParser('x.csv', 'csv');
    expect(() => p.push('run,epoch\n1,2\n')).toThrow(LoadError);
    expect(() => p.push('1,3\n')).toThrow('x.csv: header: no "step" column (the header is: run,epoch)');
    const res = await loadBlobs([
      { blob: new Blob(['hello\n']), name: 'notes.xyz' },
      { blob: new Blob(['run,epoch\n1,2\n']), name: 'x.csv' },
      { blob: new Blob(['']), name: 'e.csv' },
    ]);
    expect(res.series).toEqual([]);
    expect(res.errors).toEqual([
      { file: 'notes.xyz', message: 'not a CSV, JSON Lines or TensorBoard event file' },
      { file: 'x.csv', message: 'header: no "step" column (the header is: run,epoch)' },
      { file: 'e.csv', message: 'the file is empty' },
    ]);
  });
});

describe('loaders (item 11)', () => {
  test("wide JSON Lines with Python's bare NaN / Infinity / -Infinity: non-finite values of their metric", () => {
    const text = '{"step": 3, "loss": NaN, "acc": 0.5, "note": "NaN and Infinity in text"}\n{"step": 4, "loss": Infinity, "acc": -Infinity, "note": "NaN and Infinity in text"}\n';
    const s = parseJsonl('py.jsonl', text).columns();
    expect(s.map((x) => x.fields)).toEqual([
      { note: 'NaN and Infinity in text', run: 'py', metric: 'loss' },
      { note: 'NaN and Infinity in text', run: 'py', metric: 'acc' },
    ]);
    expect(pts(s)).toEqual([
      { step: [3, 4], value: [NaN, Infinity] },
      { step: [3, 4], value: [0.5, -Infinity] },
    ]);
    // long format: an extra numeric key that is a bare NaN is a field "NaN", as 3 is "3"
    const long = parseJsonl('l.jsonl', '{"step": 1, "value": 2, "seed": NaN}\n').columns();
    expect(long[0].fields).toEqual({ seed: 'NaN', run: 'l', metric: 'value' });
  });

  test('a CSV whose last line is cut mid-value: live it waits for the rest; a complete file drops it with a warning', async () => {
    const p = createIncrementalParser('loss.csv', 'csv');
    expect(pts(p.push('step,value\n1,1.5\n2,1'))).toEqual([{ step: [1], value: [1.5] }]);
    expect(pts(p.push('.308\n'))).toEqual([{ step: [2], value: [Math.fround(1.308)] }]);
    expect(p.warnings).toEqual([]);
    const res = await whole('loss.csv', 'step,value\n1,1.5\n2,1');
    expect(pts(res.series)).toEqual([{ step: [1], value: [1.5] }]);
    expect(res.warnings).toEqual([
      {
        file: 'loss.csv',
        message: 'line 3: the last line has no line break, so it may have been cut off mid-write (a file still being written); end the file with a line break to have it read (line skipped)',
      },
    ]);
    // cut so short that it has too few fields: the same
    expect(pts(parseCsv('c.csv', 'step,value\n1,1.5\n2').columns())).toEqual([{ step: [1], value: [1.5] }]);
  });

  test('an unclosed quote: a warning naming the line it opens on; the rows before and after it load', async () => {
    const text = 'run,step,value\nr,1,1\n"oops,2,2\nr,3,3\nr,4,4\n';
    const res = await whole('q.csv', text);
    expect(res.errors).toEqual([]);
    expect(pts(res.series)).toEqual([{ step: [1, 3, 4], value: [1, 3, 4] }]);
    expect(res.warnings).toEqual([{ file: 'q.csv', message: 'line 3: a quoted field opens on this line and is never closed (line skipped)' }]);
    // the quote on the last line
    const p = createCsvParser('q2.csv');
    p.push('run,step,value\nr,1,1\nr,"2,2');
    p.end();
    expect(p.warnings).toEqual(['q2.csv: line 3: a quoted field opens on this line and is never closed (line skipped)']);
    expect(p.table.points).toBe(1);
    // live: a quote still open after QUOTED_LINES (100) line breaks is a stray one, and the lines after it come
    const rows = Array.from({ length: 120 }, (_, i) => `r,${i + 3},1\n`).join('');
    const { parser, got } = live('q3.csv', 'run,step,value\nr,1,1\n"oops,2,2\n' + rows, 50);
    expect(parser.warnings).toEqual(['q3.csv: line 3: a quoted field opens on this line and does not close within 100 lines (line skipped)']);
    expect(got[0].step).toEqual([1, ...Array.from({ length: 120 }, (_, i) => i + 3)]);
  });

  test('NaN / Infinity as a step: a warning naming the line, the line skipped, the same in CSV and JSON Lines', () => {
    const c = createCsvParser('s.csv');
    c.push('step,value\nnan,1\ninf,2\n-Infinity,3\n4,4\n');
    c.end();
    expect(c.warnings).toEqual([
      's.csv: line 2: step "nan" is not a finite number (line skipped)',
      's.csv: line 3: step "inf" is not a finite number (line skipped)',
      's.csv: line 4: step "-Infinity" is not a finite number (line skipped)',
    ]);
    expect(Array.from(c.table.columns()[0].step)).toEqual([4]);
    const j = createIncrementalParser('s.jsonl', 'jsonl');
    j.push('{"step": NaN, "value": 1}\n{"step": Infinity, "value": 2}\n{"step": "inf", "value": 3}\n{"step": 4, "value": 4}\n');
    expect(j.warnings).toEqual([
      's.jsonl: line 1: step NaN is not a finite number (line skipped)',
      's.jsonl: line 2: step Infinity is not a finite number (line skipped)',
      's.jsonl: line 3: step Infinity is not a finite number (line skipped)',
    ]);
    expect(pts(j.all())).toEqual([{ step: [4], value: [4] }]);
  });

  test('values beyond float32 range: read as ±Infinity and counted in a warning naming the column', () => {
    const c = createCsvParser('big.csv');
    c.push('step,value\n1,1e39\n2,3.4e38\n3,2e39\n4,-5e40\n');
    c.end();
    expect(Array.from(c.table.columns()[0].value)).toEqual([Infinity, Math.fround(3.4e38), Infinity, -Infinity]);
    expect(c.warnings).toEqual(['big.csv: line 2: value 1e+39 is beyond float32 range, read as Infinity', 'big.csv: 3 values beyond float32 range in column value, read as ±Infinity']);
    const w = createIncrementalParser('big.jsonl');
    w.push('{"step": 1, "loss": 1e39, "acc": 1}\n{"step": 2, "loss": 1e300, "acc": 1}\n');
    w.end();
    expect(w.warnings).toEqual(['big.jsonl: line 1: loss 1e+39 is beyond float32 range, read as Infinity', 'big.jsonl: 2 values beyond float32 range in column loss, read as Infinity']);
    // event files: a double tensor, by tag and record offset
    const first = record(eventProto({ step: 0, wall: 1.7e9, tag: 'loss', value: 1, kind: 'tensor-double' }));
    const bytes = concat([first, record(eventProto({ step: 1, wall: 1.7e9, tag: 'loss', value: -1e39, kind: 'tensor-double' }))]);
    const t = createTfeventsParser('r/events.out.tfevents.1');
    t.push(bytes);
    t.end();
    expect(Array.from(t.table.columns()[0].value)).toEqual([1, -Infinity]);
    expect(t.warnings).toEqual([`r/events.out.tfevents.1: record at byte ${first.length}: loss -1e+39 is beyond float32 range, read as -Infinity`]);
  });

  test('columns named constructor and __proto__ are ordinary fields (no prototype pollution)', async () => {
    const csv = parseCsv('p.csv', 'run,constructor,__proto__,step,value\nr,c1,p1,1,2\n').columns();
    expect(csv).toHaveLength(1);
    expect(Object.keys(csv[0].fields).sort()).toEqual(['__proto__', 'constructor', 'metric', 'run']);
    expect(csv[0].fields.constructor).toBe('c1');
    expect(Object.getOwnPropertyDescriptor(csv[0].fields, '__proto__')?.value).toBe('p1');
    expect(csv[0].key).toBe('r\u0000value\u0000__proto__=p1\u0000constructor=c1');
    const res = await whole('p.jsonl', '{"step": 1, "value": 2, "constructor": "c", "__proto__": "p"}\n{"step": 1, "constructor": 5}\n');
    expect(res.warnings).toEqual([]);
    const own = (o: object, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value ?? null;
    expect(res.series.map((s) => [s.metric, own(s.fields, 'constructor'), own(s.fields, '__proto__')])).toEqual([
      ['value', 'c', 'p'],
      ['constructor', null, null],
    ]);
    expect(Array.from(res.series[1].value)).toEqual([5]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(res.series[0].fields)).toBe(Object.prototype);
  });

  test('text that is not UTF-8: one warning naming the file; the file still loads', async () => {
    // Latin-1: "é" is the single byte E9
    const latin1 = Uint8Array.from([...enc('run,step,value\nr'), 0xe9, ...enc(',1,2\nr'), 0xe9, ...enc(',2,3\n')]);
    const res = await whole('latin.csv', latin1);
    expect(res.errors).toEqual([]);
    expect(res.series[0].run).toBe('r\uFFFD');
    expect(res.series[0].step.length).toBe(2);
    expect(res.warnings).toEqual([{ file: 'latin.csv', message: 'the text is not valid UTF-8 (another encoding, such as Latin-1 or UTF-16?); the bytes that are not were read as \uFFFD' }]);
    // a real U+FFFD in UTF-8 text is not a problem, wherever the chunks split it
    const ok = enc('run,step,value\nr\uFFFD,1,2\n');
    for (const piece of [1, 2, 3, 5, 100]) expect(live('ok.csv', ok, piece).parser.warnings).toEqual([]);
    for (const piece of [1, 2, 3, 100]) expect(live('latin.csv', latin1, piece).parser.warnings).toHaveLength(1);
  });

  test('whole and live agree on a messy file', async () => {
    const text = 'run,step,value\nr,1,1\nr,x,2\n"s",2,2\nr,3,1e39\nr,nan,4\n\nr,5,5\n';
    const res = await whole('m.csv', text);
    const { parser } = live('m.csv', text, 2);
    expect(plain(parser.all())).toEqual(plain(res.series));
    expect(parser.warnings.map((w) => w.slice('m.csv: '.length))).toEqual(res.warnings.map((w) => w.message).filter((m) => !/values beyond/.test(m)));
  });
});
