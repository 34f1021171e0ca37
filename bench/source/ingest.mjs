// Ingest rate of `npm run bench:source`: the `metricgl ingest` command, as a user runs it, timed
// whole (process start to exit) on generated logs of the sweep's curves (CSV and JSON Lines) and
// on the shipped nanogpt logs. Points / s = points stored / seconds.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { sweepRun, sweepRunJs } from './sweep.mjs';

/** Write `runs` logs of `per` points each, one file per run; returns the paths. */
export async function writeLogs(dir, kind, runs, per) {
  mkdirSync(dir, { recursive: true });
  const paths = [];
  for (let s = 0; s < runs; s++) {
    const { x, y } = sweepRunJs(s, per);
    const path = join(dir, `${sweepRun(s)}.${kind}`);
    const out = createWriteStream(path);
    let buf = kind === 'csv' ? 'metric,step,time,value\n' : '';
    for (let i = 0; i < per; i++) {
      const v = Number.isNaN(y[i]) ? (kind === 'csv' ? 'nan' : 'NaN') : String(y[i]);
      buf += kind === 'csv' ? `loss,${x[i]},${i * 120},${v}\n` : `{"step":${x[i]},"time":${i * 120},"loss":${v}}\n`;
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
    out.end(buf);
    await once(out, 'finish');
    paths.push(path);
  }
  return paths;
}

/** Time `metricgl ingest --db db paths` as a child process; { seconds, points, bytes }. */
export function timeIngest(repo, db, paths) {
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [join(repo, 'bin/metricgl.mjs'), 'ingest', '--db', db, ...paths], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  const m = /([\d,]+) points/.exec(out);
  const points = m ? Number(m[1].replace(/,/g, '')) : NaN;
  const bytes = paths.reduce((a, p) => a + statSync(p).size, 0);
  return { seconds, points, bytes, output: out.trim().split('\n').slice(-2).join(' | ') };
}
