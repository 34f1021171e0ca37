// CI step: make sure a ClickHouse server is there for the ClickHouse tests (test/unit/clickhouse-*).
// As root with apt, install Debian's package (18.16 on Debian 12; the code keeps to what that
// version has). Otherwise say what to do and exit 0: those tests then skip, saying why, so a
// machine without ClickHouse still runs the rest of the suite.
import { execSync } from 'node:child_process';
import { clickhouseServerPath } from './clickhouse/binary.mjs';

if (clickhouseServerPath()) process.exit(0);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
let apt = false;
try {
  execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
  apt = true;
} catch {
  /* no apt */
}
if (root && apt) {
  console.log('metricgl: clickhouse-server not found; installing Debian\'s clickhouse-server and clickhouse-client (apt-get)...');
  try {
    // the package's postinst tries to start the service; without systemd that fails harmlessly,
    // and the tests start their own servers anyway
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server clickhouse-client', { stdio: 'inherit', shell: '/bin/sh' });
  } catch (e) {
    console.error(`metricgl: apt-get could not install clickhouse-server: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (clickhouseServerPath()) process.exit(0);
}
console.error(`metricgl: the ClickHouse tests need clickhouse-server and none was found; they will be skipped.
  Debian/Ubuntu:  sudo apt-get install -y clickhouse-server clickhouse-client
  elsewhere:      install ClickHouse and set METRICGL_CLICKHOUSE_SERVER=/path/to/clickhouse-server`);
process.exit(0);
