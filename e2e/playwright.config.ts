import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.ts';

// Every spec starts its own lab in-process on free ports (see fixtures.ts): no webServer here.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  // Under CI a spec that fails once runs once more and, if it passes, is reported as flaky (the
  // lessons about timeouts measure real timers on a shared two-core machine).
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
    // LAB_VIDEO=1 keeps a video of every spec under test-results/ (`npm run record` records lessons for handing out).
    video: process.env.LAB_VIDEO ? 'on' : 'off',
  },
});
