// A throwaway ClickHouse cluster for the tests: N local clickhouse-server processes, each with
// its own temporary folder (data, logs, config) and its own free ports, all sharing one
// `remote_servers` entry that makes them the shards (one replica each) of cluster
// `metricgl_test`. No ZooKeeper: nothing here replicates, and DDL goes to each shard directly.
//
// Processes must not outlive the test run, even one that fails or is killed: stop() is
// registered on process exit and on SIGINT / SIGTERM, and a small watchdog process kills the
// servers and removes their folders if this process disappears without either (SIGKILL of a
// test worker).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickhouseServerCommand } from './binary.mjs';

export const CLUSTER = 'metricgl_test';
/** a user of the test servers only (they listen on loopback and live for one test run) */
export const TEST_USER = { name: 'metricgl_user', password: 'metricgl-test-password' };

/** A port nobody listens on now (the OS picks; closed again before the server binds it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function configXml(dir, shard, all) {
  const shards = all
    .map((s) => `      <shard><replica><host>127.0.0.1</host><port>${s.tcpPort}</port></replica></shard>`)
    .join('\n');
  // small caches: the tests hold megabytes, and several clusters may run side by side
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>information</level>
    <log>${dir}/server.log</log>
    <errorlog>${dir}/server.err.log</errorlog>
    <console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${shard.httpPort}</http_port>
  <tcp_port>${shard.tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>64</max_concurrent_queries>
  <remote_servers>
    <${CLUSTER}>
${shards}
    </${CLUSTER}>
  </remote_servers>
</yandex>
`;
}

// the default user, no password, loopback only: what the client does without
// METRICGL_CLICKHOUSE_USER; and a user with a password, to test that the client sends them
const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <${TEST_USER.name}>
      <password>${TEST_USER.password}</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </${TEST_USER.name}>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

async function answers(http) {
  try {
    const r = await fetch(`${http}/?query=SELECT%201`, { signal: AbortSignal.timeout(1000) });
    return r.ok && (await r.text()).trim() === '1';
  } catch {
    return false;
  }
}

function tail(file, lines = 15) {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*\d+\. /.test(l)).slice(-lines).join('\n');
}

// The watchdog: polls this process; once it is gone, kills the servers and removes their folders.
const WATCHDOG = `
const [parent, ...rest] = process.argv.slice(1);
const pids = rest.filter((a) => /^\\d+$/.test(a)).map(Number);
const dirs = rest.filter((a) => !/^\\d+$/.test(a));
const alive = (p) => { try { process.kill(p, 0); return true; } catch { return false; } };
setInterval(() => {
  if (alive(Number(parent))) return;
  for (const p of pids) { try { process.kill(p, 'SIGKILL'); } catch {} }
  setTimeout(() => { for (const d of dirs) require('fs').rmSync(d, { recursive: true, force: true }); process.exit(0); }, 300);
}, 500);
`;

/**
 * Start `shards` servers forming cluster `metricgl_test`; resolves once every one answers
 * `SELECT 1` over HTTP. `stop()` kills them and removes their folders (safe to call twice).
 * A port picked free can be taken by another process before the server binds it (test files run
 * side by side); a start that fails that way is tried again with new ports.
 */
export async function startCluster({ shards: count = 2, timeoutMs = 20_000 } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(count, timeoutMs);
    } catch (e) {
      if (attempt >= 3 || !/Address already in use|Net Exception/.test(String(e?.message))) throw e;
    }
  }
}

async function startOnce(count, timeoutMs) {
  const command = clickhouseServerCommand();
  if (!command) throw new Error('clickhouse-server not found (node test/ensure-clickhouse.mjs installs it)');
  const shards = [];
  const procs = [];
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    for (const s of shards) rmSync(s.dir, { recursive: true, force: true });
  };
  const onSignal = (sig) => {
    stopSync();
    process.kill(process.pid, sig);
  };
  const unhook = () => {
    process.off('exit', stopSync);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', stopSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let watchdog = null;
  try {
    for (let i = 0; i < count; i++) {
      const dir = mkdtempSync(join(tmpdir(), `metricgl-clickhouse-${i}-`));
      shards.push({ dir, httpPort: await freePort(), tcpPort: await freePort() });
    }
    // ports picked one after another can repeat once closed; make them distinct
    const seen = new Set();
    for (const s of shards) {
      while (seen.has(s.httpPort)) s.httpPort = await freePort();
      seen.add(s.httpPort);
      while (seen.has(s.tcpPort)) s.tcpPort = await freePort();
      seen.add(s.tcpPort);
    }
    for (const s of shards) {
      writeFileSync(join(s.dir, 'users.xml'), USERS_XML);
      writeFileSync(join(s.dir, 'config.xml'), configXml(s.dir, s, shards));
      procs.push(spawnServer(command, s));
    }
    watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), ...procs.map((p) => String(p.pid)), ...shards.map((s) => s.dir)], {
      stdio: 'ignore',
      detached: true,
    });
    watchdog.unref();
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < shards.length; i++) {
      const http = `http://127.0.0.1:${shards[i].httpPort}`;
      while (!(await answers(http))) {
        const p = procs[i];
        if (p.exitCode !== null || p.signalCode !== null) {
          throw new Error(`clickhouse-server (shard ${i}) exited (${p.exitCode ?? p.signalCode}):\n${serverLog(shards[i])}`);
        }
        if (Date.now() > deadline) throw new Error(`clickhouse-server (shard ${i}) did not answer within ${timeoutMs} ms:\n${serverLog(shards[i])}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (e) {
    stopSync();
    unhook();
    if (watchdog) try { process.kill(watchdog.pid, 'SIGKILL'); } catch { /* gone */ }
    throw e;
  }
  return {
    cluster: CLUSTER,
    shards: shards.map((s) => ({ http: `http://127.0.0.1:${s.httpPort}`, tcpPort: s.tcpPort, dir: s.dir })),
    /** Kill shard i's server (its data stays): a shard that is down. */
    async shardDown(i) {
      await killed(procs[i]);
    },
    /** Start shard i's server again on its data and ports; resolves once it answers. */
    async shardUp(i, timeout = timeoutMs) {
      const p = spawnServer(command, shards[i]);
      procs[i] = p;
      // its own watchdog: the first one knows only the first process
      spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(p.pid)], { stdio: 'ignore', detached: true }).unref();
      const http = `http://127.0.0.1:${shards[i].httpPort}`;
      const deadline = Date.now() + timeout;
      while (!(await answers(http))) {
        if (p.exitCode !== null || p.signalCode !== null) throw new Error(`clickhouse-server (shard ${i}) exited on restart:\n${serverLog(shards[i])}`);
        if (Date.now() > deadline) throw new Error(`clickhouse-server (shard ${i}) did not answer within ${timeout} ms of a restart`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (stopped) return;
      // SIGKILL at once: the data is thrown away, and a graceful 18.16 shutdown waits seconds
      // for idle keep-alive connections
      await Promise.all(
        procs.map(
          (p) =>
            new Promise((resolve) => {
              if (p.exitCode !== null || p.signalCode !== null) return resolve();
              p.once('exit', () => resolve());
              p.kill('SIGKILL');
            }),
        ),
      );
      stopSync();
      unhook();
      try { process.kill(watchdog.pid, 'SIGKILL'); } catch { /* gone */ }
    },
  };
}

/** One shard's server process (18.16 runs as root without complaint; it stays in the foreground). */
function spawnServer(command, s) {
  const p = spawn(command[0], [...command.slice(1), `--config-file=${join(s.dir, 'config.xml')}`], {
    cwd: s.dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  p.stderr.setEncoding('utf8');
  p.stderr.on('data', (d) => (s.stderr = ((s.stderr ?? '') + d).slice(-4000)));
  return p;
}

const killed = (p) =>
  new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });

function serverLog(s) {
  return `${tail(join(s.dir, 'server.err.log'))}\n${s.stderr ?? ''}`.trim();
}
