import { defineConfig } from '@playwright/test';

// Tests run against the built extension (.output/chrome-mv3), one Chromium at a time: each test launches its own
// persistent profile, and the machine has two cores.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
