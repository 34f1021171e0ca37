import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './test/chromium.mjs';

const PORT = 5199;

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // SwiftShader rasterises on the CPU; two cores: one test at a time keeps timings sane
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1000, height: 700 },
    deviceScaleFactor: 1,
    launchOptions: { executablePath: chromiumPath() ?? undefined, args: chromiumArgs },
  },
  webServer: {
    // serves src/ (TypeScript through Vite) and dist/ (the built bundle) from the repo root
    command: `npx vite --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/test/browser/pages/harness.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
