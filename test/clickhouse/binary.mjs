// Where the ClickHouse server binary is: METRICGL_CLICKHOUSE_SERVER wins, else `clickhouse-server`
// on PATH (Debian's package), else the single `clickhouse` binary of newer builds, run as
// `clickhouse server`. Returns the command as an argv prefix, or null.
import { execSync } from 'node:child_process';

function which(name) {
  try {
    return execSync(`command -v ${name}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: '/bin/sh' }).trim() || null;
  } catch {
    return null;
  }
}

export function clickhouseServerCommand() {
  if (process.env.METRICGL_CLICKHOUSE_SERVER) return [process.env.METRICGL_CLICKHOUSE_SERVER];
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
