// npm test's first step: make sure a Chromium is there for the browser tests. As root with apt,
// install Debian's package; otherwise say exactly what to do.
import { aptInstall } from './apt.mjs';
import { chromiumPath } from './chromium.mjs';

if (chromiumPath()) process.exit(0);
if (aptInstall(['chromium'], 'Chromium not found') && chromiumPath()) process.exit(0);
console.error(`metricgl: the browser tests need Chromium and none was found.
  Debian/Ubuntu:  sudo apt-get install -y chromium
  elsewhere:      install Chromium or Chrome and set CHROME_PATH=/path/to/chrome
(Playwright's own browser download is not used.)`);
process.exit(1);
