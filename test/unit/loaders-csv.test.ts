import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { createCsvParser, parseCsv } from '../../src/loaders/csv';
import { loaderFor } from '../../src/loaders/detect';
import { loadBlobs } from '../../src/loaders/load';
import { createIncrementalParser } from '../../src/loaders/parse';
import { LoadError } from '../../src/loaders/rows';
import { MetricTable } from '../../src/loaders/table';
import { namesFromFile } from '../../src/loaders/text';
import { mulberry32, randInt } from './prng';
import { errorOf, plain } from './loader-helpers';

const DATA = '/work/shared/data/modded-nanogpt-loss.csv.gz';

/** Push text in random pieces (1..maxPiece chars). */
function inPieces(name: string, text: string, seed: number, maxPiece: number): MetricTable {
  const rand = mulberry32(seed);
  const p = createCsvParser(name);
  for (let i = 0; i < text.length; ) {
    const n = randInt(rand, 1, maxPiece + 1);
    p.push(text.slice(i, i + n));
    i += n;
  }
  p.end();
  return p.table;
}

const TRICKY =
  '\uFEFFrun,"note, with comma",metric,step,value,time_ms\r\n' +
  'a,"say ""hi""",loss,1,2.5,100\r\n' +
  'a,"say ""hi""",loss,2,NaN,200\r\n' +
  'a,"two\r\nlines",loss,3,inf,300\r\n' +
  '\r\n' +
  'b,plain,loss,1,-inf,\r\n' +
  'b,plain,loss,2,1e-3,400\r\n' +
  'b,plain,loss,3,-Infinity,500\r\n' +
  'b,plain,loss,4,,600\r\n' +
  '"b","plain","loss","5","0.1","700"\r\n' +
  'b,plain,acc,5,0.12345678901234567,700\r\n' +
  'b,plain,acc,6,  7.5 ,800\r\n';

describe('CSV', () => {
  test('quotes, CRLF, blank lines, BOM, nan/inf literals, empty cells', () => {
    const t = parseCsv('tricky.csv', TRICKY).columns();
    expect(t.map((s) => [s.run, s.metric, s.fields['note, with comma']])).toEqual([
      ['a', 'loss', 'say "hi"'],
      ['a', 'loss', 'two\r\nlines'],
      ['b', 'loss', 'plain'],
      ['b', 'acc', 'plain'],
    ]);
    expect(Array.from(t[0].value)).toEqual([2.5, NaN]);
    expect(Array.from(t[1].value)).toEqual([Infinity]);
    expect(Array.from(t[2].step)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(t[2].value)).toEqual([-Infinity, Math.fround(1e-3), -Infinity, NaN, Math.fround(0.1)]);
    expect(Array.from(t[2].time!)).toEqual([NaN, 400, 500, 600, 700]);
    expect(Array.from(t[3].value)).toEqual([Math.fround(0.12345678901234567), 7.5]);
    expect(t[0].wall).toBeNull();
    expect(t[0].key).toBe('a\u0000loss\u0000note, with comma=say "hi"');
  });

  test('pushed in random pieces (splitting quotes, CRLF, numbers) equals one push', () => {
    const once = plain(parseCsv('tricky.csv', TRICKY).columns());
    for (let seed = 1; seed <= 200; seed++) {
      expect(plain(inPieces('tricky.csv', TRICKY, seed, seed % 7 === 0 ? 40 : 5).columns())).toEqual(once);
    }
  });

  test('fuzz: random quoting, delimiters, quotes and line breaks inside fields, random pieces', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rand = mulberry32(seed);
      const alphabet = ['a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '😀'];
      const rows: { note: string; step: number; value: number }[] = [];
      let text = seed % 2 ? 'note,step,value\r\n' : '"note","step","value"\n';
      for (let i = 0; i < 60; i++) {
        let note = '';
        for (let k = randInt(rand, 0, 6); k > 0; k--) note += alphabet[randInt(rand, 0, alphabet.length)];
        const value = Math.round(rand() * 1e6) / 1e3;
        rows.push({ note, step: i, value });
        const plain = /^[^,"\r\n]*$/.test(note) && note !== '' && rand() < 0.5;
        const q = (t: string) => (plain ? t : '"' + t.replace(/"/g, '""') + '"');
        text += `${q(note)},${rand() < 0.2 ? `"${i}"` : i},${value}${rand() < 0.5 ? '\r\n' : '\n'}`;
      }
      const once = parseCsv('fuzz.csv', text);
      const got = new Map<number, string>();
      for (const s of once.columns()) for (const st of s.step) got.set(st, s.fields.note);
      expect(rows.map((r) => got.get(r.step))).toEqual(rows.map((r) => r.note));
      expect(plain(inPieces('fuzz.csv', text, seed, 9).columns())).toEqual(plain(once.columns()));
    }
  });

  test('a partial last line waits for the rest (live tail)', () => {
    const p = createIncrementalParser('live.csv', 'csv');
    expect(p.push('run,step,value\nr,1,0.5\nr,2,0.')).toHaveLength(1);
    expect(p.push('')).toEqual([]);
    const more = p.push('25\nr,3');
    expect(Array.from(more[0].step)).toEqual([2]);
    expect(Array.from(more[0].value)).toEqual([0.25]);
    expect(p.push(',0.125\n')[0].value[0]).toBe(0.125);
    expect(p.all()[0].step.length).toBe(3);
    // at the end, a cut-off last line is dropped with a warning, not a failed file
    expect(p.push('r,4')).toEqual([]);
    expect(p.end()).toEqual([]);
    expect(p.warnings).toEqual([
      'live.csv: line 5: the last line has no line break, so it may have been cut off mid-write (a file still being written); end the file with a line break to have it read (line skipped)',
    ]);
  });

  test('a last line without a line break is not read (a number cut mid-write, 1.308 as 1, is never loaded)', () => {
    const p = createCsvParser('x.csv');
    p.push('run,step,value\nr,1,2\nr,2,1');
    p.end();
    expect(plain(p.table.columns()).map((s) => [s.step, s.value])).toEqual([[[1], [2]]]);
    expect(p.warnings).toEqual([
      'x.csv: line 3: the last line has no line break, so it may have been cut off mid-write (a file still being written); end the file with a line break to have it read (line skipped)',
    ]);
    // a header alone without a line break is still a header
    expect(parseCsv('h.csv', 'run,step,value').columns()).toEqual([]);
  });

  test('header: step and value are required; the error names the file', () => {
    expect(errorOf(() => parseCsv('loss.csv', 'run,step,loss\nr,1,2\n')).message).toBe('loss.csv: header: no "value" column (the header is: run,step,loss)');
    expect(errorOf(() => parseCsv('loss.csv', 'run,value\n')).message).toMatch(/^loss\.csv: header: no "step" column/);
    expect(errorOf(() => parseCsv('dup.csv', 'run,step,value,Step\n')).message).toMatch(/^dup\.csv: header: columns "step" and "Step"/);
    expect(errorOf(() => parseCsv('empty.csv', '')).message).toBe('empty.csv: the file is empty');
  });

  test('a bad row: a warning naming file, line and column; the row is skipped, the others read', () => {
    const warningsOf = (name: string, text: string) => {
      const p = createCsvParser(name);
      p.push(text);
      p.end();
      return { warnings: p.warnings, steps: p.table.columns().flatMap((s) => Array.from(s.step)) };
    };
    const text = 'run,step,value\n' + 'r,1,0.5\n'.repeat(15) + 'r,17,abc\nr,18,1\n';
    expect(warningsOf('loss.csv', text)).toEqual({ warnings: ['loss.csv: line 17: value "abc" is not a number (line skipped)'], steps: [...Array(15).fill(1), 18] });
    expect(warningsOf('s.csv', 'run,step,value\nr,,1\nr,3,1\n')).toEqual({ warnings: ['s.csv: line 2: the step is empty (line skipped)'], steps: [3] });
    expect(warningsOf('s.csv', 'run,step,value\nr,0x10,1\n').warnings).toEqual(['s.csv: line 2: step "0x10" is not a number (line skipped)']);
    expect(warningsOf('f.csv', 'run,step,value\nr,1\nr,2,2\n')).toEqual({ warnings: ['f.csv: line 2: 2 fields, the header has 3 (line skipped)'], steps: [2] });
    expect(warningsOf('f.csv', 'run,step,value\nr,1,2,3\nr,2,2\n')).toEqual({ warnings: ["f.csv: line 2: more fields than the header's 3 (line skipped)"], steps: [2] });
    // a quoted record spanning lines: its first line is named
    expect(warningsOf('q.csv', 'run,step,value\n"a\nb",1,x\nr,4,1\n')).toEqual({ warnings: ['q.csv: line 2: value "x" is not a number (line skipped)'], steps: [4] });
    // a bad header still stops the file, and after that error the parser keeps failing
    const p = createCsvParser('loss.csv');
    expect(() => p.push('run,step,loss\nr,1,1\n')).toThrow(LoadError);
    expect(() => p.push('r,1,1\n')).toThrow('loss.csv: header: no "value" column');
  });

  test('numbers parse exactly like Number()', () => {
    const rand = mulberry32(7);
    const texts: string[] = ['0', '-0', '1', '0.1', '1e22', '1e23', '9007199254740993', '123456789012345678', '1.7976931348623157e308', '5e-324', '.5', '5.', '+3', '1E-7', '000123.4500'];
    for (let i = 0; i < 2000; i++) {
      const x = (rand() - 0.5) * 10 ** randInt(rand, -30, 30);
      texts.push(String(x), x.toFixed(randInt(rand, 0, 12)), x.toExponential(randInt(rand, 0, 16)), x.toPrecision(randInt(rand, 1, 21)));
    }
    const csv = 'run,step,time_ms,value\n' + texts.map((t, i) => `r,${i},${t},0`).join('\n') + '\n';
    const time = parseCsv('n.csv', csv).columns()[0].time!;
    texts.forEach((t, i) => expect(Object.is(time[i], Number(t)), t).toBe(true));
  });

  test('time, wall and epoch columns by name; no run column: the file is the run', () => {
    const t = parseCsv('dir/exp-7.csv', 'Step,Value,Wall time,epoch,relative_time_s\n1,2,1700000000.5,0,1.5\n2,3,1700000001000,1,\n').columns();
    expect(t).toHaveLength(1);
    expect(t[0].run).toBe('exp-7');
    expect(t[0].metric).toBe('value');
    expect(Array.from(t[0].wall!)).toEqual([1700000000500, 1700000001000]);
    expect(Array.from(t[0].epoch!)).toEqual([0, 1]);
    expect(Array.from(t[0].time!)).toEqual([1500, NaN]);
    expect(namesFromFile('run-my_run-tag-train_loss.csv')).toEqual({ run: 'my_run', metric: 'train_loss' });
    const iso = parseCsv('w.csv', 'step,value,timestamp\n1,2,2024-01-02T03:04:05Z\n').columns();
    expect(iso[0].wall![0]).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
  });

  test('TSV by name', () => {
    const det = loaderFor('a.tsv', new Uint8Array());
    expect(det).toEqual({ kind: 'csv', delimiter: '\t' });
    const t = parseCsv('a.tsv', 'run\tstep\tvalue\nx\t1\t2\n', { delimiter: '\t' }).columns();
    expect(Array.from(t[0].value)).toEqual([2]);
  });

  test('detection by name and content', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(loaderFor('logs/events.out.tfevents.123.host', new Uint8Array()).kind).toBe('tfevents');
    expect(loaderFor('a.ndjson', new Uint8Array()).kind).toBe('jsonl');
    expect(loaderFor('a.csv.gz', new Uint8Array()).kind).toBe('csv');
    expect(loaderFor('metrics.txt', enc('{"step":1,"value":2}\n')).kind).toBe('jsonl');
    expect(loaderFor('metrics', enc('run,step,value\n')).kind).toBe('csv');
    expect(() => loaderFor('file.xyz', enc('hello'))).toThrow('file.xyz: not a CSV, JSON Lines or TensorBoard event file');
  });

  test('loadBlobs: a bad file is reported by name, the good ones load', async () => {
    const good = new Blob(['run,step,value\nr,1,2\nr,2,3\n']);
    const bad = new Blob(['run,step\n1,2\n']);
    const progress: number[] = [];
    const res = await loadBlobs(
      [
        { blob: good, name: 'good.csv' },
        { blob: bad, name: 'bad.csv' },
        { blob: new Blob(['xyz']), name: 'notes.xyz' },
      ],
      (done) => progress.push(done),
    );
    expect(res.series.map((s) => s.run)).toEqual(['r']);
    expect(Array.from(res.series[0].value)).toEqual([2, 3]);
    expect(res.errors).toEqual([
      { file: 'bad.csv', message: 'header: no "value" column (the header is: run,step)' },
      { file: 'notes.xyz', message: 'not a CSV, JSON Lines or TensorBoard event file' },
    ]);
    expect(progress[progress.length - 1]).toBe(good.size + bad.size + 3);
  });

  test('loadBlobs: series of the same key in two files are joined', async () => {
    const res = await loadBlobs([
      { blob: new Blob(['run,step,value\nr,1,2\n']), name: 'part1.csv' },
      { blob: new Blob(['{"run":"r","step":2,"value":3}\n']), name: 'part2.jsonl' },
    ]);
    expect(res.series).toHaveLength(1);
    expect(Array.from(res.series[0].step)).toEqual([1, 2]);
  });
});

describe.skipIf(!existsSync(DATA))('the modded-nanogpt data', () => {
  test('parses: 1,126 runs, 330,535 points', () => {
    const text = gunzipSync(readFileSync(DATA)).toString('utf8');
    const t0 = performance.now();
    const series = parseCsv('modded-nanogpt-loss.csv', text).columns();
    const ms = performance.now() - t0;
    console.log(`modded-nanogpt-loss.csv: ${(text.length / 1e6).toFixed(1)} MB, 330k rows in ${ms.toFixed(0)} ms (${(text.length / 1e3 / ms).toFixed(0)} MB/s)`);
    expect(series.reduce((n, s) => n + s.step.length, 0)).toBe(330_535);
    const runs = new Set(series.map((s) => `${s.run} ${s.fields.record}`));
    expect(runs.size).toBe(1126); // logs: 26 run ids appear in two record folders
    expect(new Set(series.map((s) => s.run)).size).toBe(1100);
    const train = series.filter((s) => s.fields.subset === 'train');
    const evals = series.filter((s) => s.fields.subset === 'eval');
    expect(evals).toHaveLength(1126);
    expect(train).toHaveLength(78);
    expect(new Set(train.map((s) => s.run)).size).toBe(73);
    expect(Math.min(...train.map((s) => s.step.length))).toBeGreaterThan(1500);
    expect(series.every((s) => s.metric === 'loss' && s.time !== null && s.wall === null)).toBe(true);
    const first = series[0];
    expect(first.run).toBe('5bdc3988-496c-4232-b4ef-53764cb81c92');
    expect([first.step[0], first.value[0], first.time![0]]).toEqual([0, Math.fround(11.0149), 305]);
    expect(ms).toBeLessThan(2000);
  });

  test('the gzip file itself through loadBlobs (DecompressionStream)', async () => {
    const gz = readFileSync(DATA);
    const res = await loadBlobs([{ blob: new Blob([gz]), name: 'modded-nanogpt-loss.csv.gz' }]);
    expect(res.errors).toEqual([]);
    expect(res.series.reduce((n, s) => n + s.step.length, 0)).toBe(330_535);
    expect(res.series).toHaveLength(1204);
  });
});

/** A long-format CSV of about `mb` MB: 200 runs x 2 subsets, interleaved in blocks. */
function synthetic(mb: number): string[] {
  const chunks: string[] = [];
  const rand = mulberry32(3);
  let rows: string[] = [];
  let size = 0;
  let step = 0;
  chunks.push('run,record,metric,subset,step,value,time_ms\n');
  while (size < mb * 1e6) {
    const run = `run-${step % 200}-5bdc3988-496c-4232`;
    for (let i = 0; i < 100; i++) {
      const r = `${run},track_1/2024-10-09,loss,${i % 25 === 0 ? 'eval' : 'train'},${step * 100 + i},${(3 + rand()).toFixed(4)},${(step * 100 + i) * 250}\n`;
      rows.push(r);
      size += r.length;
    }
    step++;
    if (rows.length >= 40_000) {
      chunks.push(rows.join(''));
      rows = [];
    }
  }
  chunks.push(rows.join(''));
  return chunks;
}

test('parse speed: synthetic CSV (10 MB; METRICGL_BENCH=1 for 100 MB), text and bytes', () => {
  const mb = process.env.METRICGL_BENCH ? 100 : 10;
  const chunks = synthetic(mb);
  const total = chunks.reduce((n, c) => n + c.length, 0);
  // strings pushed in ~4 MB pieces, like the worker after decoding
  let t0 = performance.now();
  const p = createCsvParser('synthetic.csv');
  for (const c of chunks) p.push(c);
  p.end();
  const rows = p.table.points;
  const series = p.table.columns();
  const textMs = performance.now() - t0;
  // bytes through the TextDecoder, as the worker reads a file
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  t0 = performance.now();
  const q = createIncrementalParser('synthetic.csv', 'csv');
  for (const b of bytes) q.push(b);
  q.end();
  const byteMs = performance.now() - t0;
  console.log(
    `synthetic CSV ${(total / 1e6).toFixed(0)} MB, ${rows} rows, ${series.length} series: ` +
      `parse ${textMs.toFixed(0)} ms (${(total / 1e3 / textMs).toFixed(0)} MB/s), from bytes ${byteMs.toFixed(0)} ms (${(total / 1e3 / byteMs).toFixed(0)} MB/s)`,
  );
  expect(series).toHaveLength(400);
  expect(series.reduce((n, s) => n + s.step.length, 0)).toBe(rows);
}, 120_000);
