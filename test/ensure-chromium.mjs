// npm test's first step: make sure a Chromium is there for the browser tests. As root with apt,
// install Debian's package; otherwise say exactly what to do.
import { execSync } from 'node:child_process';
import { chromiumPath } from './chromium.mjs';

if (chromiumPath()) process.exit(0);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
let apt = false;
try {
  execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
  apt = true;
} catch {
  /* no apt */
}
if (root && apt) {
  console.log('metricgl: Chromium not found; installing Debian\'s chromium package (apt-get)...');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit', shell: '/bin/sh' });
  if (chromiumPath()) process.exit(0);
}
console.error(`metricgl: the browser tests need Chromium and none was found.
  Debian/Ubuntu:  sudo apt-get install -y chromium
  elsewhere:      install Chromium or Chrome and set CHROME_PATH=/path/to/chrome
(Playwright's own browser download is not used.)`);
process.exit(1);
