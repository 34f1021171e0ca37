import { defineConfig } from 'vitest/config';

// Unit tests only (node): pure modules. Browser tests run under Playwright (test/browser).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
  },
});
