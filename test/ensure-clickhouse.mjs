// CI step: make sure a ClickHouse server is there for the ClickHouse tests (test/unit/clickhouse-*).
// As root with apt, install Debian's package (18.16 on Debian 12; the code keeps to what that
// version has); if that fails, exit 1, so CI says so instead of quietly skipping those tests.
// Without root or apt, say what to do and exit 0: those tests then report themselves skipped,
// and a developer machine without ClickHouse still runs the rest of the suite.
import { aptInstall, canApt } from './apt.mjs';
import { clickhouseServerPath } from './clickhouse/binary.mjs';

if (clickhouseServerPath()) process.exit(0);
if (canApt()) {
  try {
    // the package's postinst tries to start the service; without systemd that fails harmlessly,
    // and the tests start their own servers anyway
    aptInstall(['clickhouse-server', 'clickhouse-client'], 'clickhouse-server not found');
  } catch (e) {
    console.error(`metricgl: apt-get could not install clickhouse-server: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (clickhouseServerPath()) process.exit(0);
  console.error('metricgl: clickhouse-server is still missing after apt-get install');
  process.exit(1);
}
console.error(`metricgl: the ClickHouse tests need clickhouse-server and none was found; they will be skipped.
  Debian/Ubuntu:  sudo apt-get install -y clickhouse-server clickhouse-client
  elsewhere:      install ClickHouse and set METRICGL_CLICKHOUSE_SERVER=/path/to/clickhouse-server`);
process.exit(0);
