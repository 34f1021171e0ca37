// Opening the demo in a browser (`--open`), for both demo servers.
import { spawn } from 'node:child_process';

/**
 * Whether `--open` may open a browser here: never in CI, and on Linux/BSD only with a display
 * (without one, xdg-open fails and prints its complaint; the server works either way).
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 */
export function canOpenBrowser(env = process.env, platform = process.platform) {
  if (env.CI && env.CI !== '0' && env.CI.toLowerCase() !== 'false') return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Opens `url` in the desktop's browser, fire and forget (a failure only means no tab opens).
 * BROWSER=none turns it off, as it does for Vite. Returns whether a browser was asked to open.
 * @param {string} url
 */
export function openBrowser(url) {
  if (/^none$/i.test(process.env.BROWSER ?? '')) return false;
  /** @type {[string, string[]]} */
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
