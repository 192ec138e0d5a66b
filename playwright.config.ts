import { defineConfig } from '@playwright/test';
import type { DatabaseMode } from './e2e/fixtures';

/**
 * End-to-end tests against the real backend, which also serves the built frontend.
 * Chromium comes from Debian (no browser download): CHROMIUM_PATH or /usr/bin/chromium.
 * Run through `make e2e` (builds first) or `make test`.
 */
export default defineConfig<{}, { database: DatabaseMode }>({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  // Each worker starts its own backend: one at a time on a 2-core machine.
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  outputDir: 'node_modules/.cache/e2e-test-results',
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'sqlite',
      use: { database: 'sqlite' },
      testIgnore: /(postgres|demo)\.spec\.ts/,
    },
    {
      name: 'postgres',
      use: { database: 'postgres' },
      testMatch: /(api|postgres)\.spec\.ts/,
    },
    {
      // make demo's clusters (packages/demo), started once, and the portal on SQLite.
      name: 'demo',
      testMatch: /demo\.spec\.ts/,
    },
  ],
});
