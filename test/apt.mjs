// Installing a Debian package for the tests, as CI does (root, apt): shared by the ensure-*
// scripts. Returns false where it cannot try (not root, or no apt-get); throws when apt-get fails.
import { execSync } from 'node:child_process';

export function canApt() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  try {
    execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
}

/** `apt-get install` the packages when this process can; whether it tried. */
export function aptInstall(packages, why) {
  if (!canApt()) return false;
  console.log(`metricgl: ${why}; installing Debian's ${packages.join(' ')} (apt-get)...`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(' ')}`, { stdio: 'inherit', shell: '/bin/sh' });
  return true;
}
