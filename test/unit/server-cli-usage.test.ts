// The metricgl command's option checks: a bad flag is a usage error (exit 2, the flag named),
// found before any store is opened or any server contacted.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/server/cli';

async function run(argv: string[]) {
  const err: string[] = [];
  const code = await main(argv, { out: () => {}, err: (s) => err.push(s) }, false);
  return { code, err: err.join('\n') };
}

describe('metricgl serve --query-timeout', () => {
  it('goes with --clickhouse only', async () => {
    const r = await run(['serve', '--db', 'x.duckdb', '--query-timeout', '120']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--query-timeout goes with --clickhouse URL');
  });
  it('is a whole number of seconds from 1', async () => {
    for (const bad of ['0', '1.5', 'soon']) {
      const r = await run(['serve', '--clickhouse', 'http://127.0.0.1:1', '--query-timeout', bad]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--query-timeout ${bad}: an integer from 1 to 86400`);
    }
  });
});
