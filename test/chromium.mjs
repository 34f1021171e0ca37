// Where Debian's Chromium lives: CHROME_PATH wins, else `chromium` on PATH. Playwright cannot
// download its own browsers here, so every launch goes through this.
import { execSync } from 'node:child_process';

export function chromiumPath() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const p = execSync(`command -v ${name}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: '/bin/sh' }).trim();
      if (p) return p;
    } catch {
      /* not this one */
    }
  }
  return null;
}

export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
