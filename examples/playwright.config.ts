import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.ts';

// The examples and saved scenarios: `npx playwright test -c examples/playwright.config.ts`.
// Each test's transcript and findings are in the HTML report (playwright-report/examples).
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results/examples',
  workers: 1,
  timeout: 60_000,
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../playwright-report/examples' }]],
  use: { browserName: 'chromium', launchOptions: chromiumLaunchOptions() },
});
