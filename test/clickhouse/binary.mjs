// Where the ClickHouse server binary is: METRICGL_CLICKHOUSE_SERVER wins, else `clickhouse-server`
// on PATH (Debian's package), else the single `clickhouse` binary of newer builds, run as
// `clickhouse server`. Returns the command as an argv prefix, or null.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function which(name) {
  try {
    return execSync(`command -v ${name}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: '/bin/sh' }).trim() || null;
  } catch {
    return null;
  }
}

export function clickhouseServerCommand() {
  // a path named but missing counts as none (the tests then say they are skipped, and why)
  if (process.env.METRICGL_CLICKHOUSE_SERVER) return existsSync(process.env.METRICGL_CLICKHOUSE_SERVER) ? [process.env.METRICGL_CLICKHOUSE_SERVER] : null;
  const server = which('clickhouse-server');
  if (server) return [server];
  const single = which('clickhouse');
  if (single) return [single, 'server'];
  return null;
}

export function clickhouseServerPath() {
  const c = clickhouseServerCommand();
  return c ? c[0] : null;
}
