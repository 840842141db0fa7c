import { audit } from './axe.ts';
import { connect, expect, messageRow, openServerActions, statusOpen, test } from './lesson-kit.ts';

// Every view of the workbench, in the light theme and the dark one, through axe-core: no
// serious or critical violation. (A scrollable region a keyboard cannot reach, a colour pair
// below 4.5:1, a control without a name: each is a person who cannot use the lab.)

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every view passes axe in the ${colorScheme} theme`, async ({ labPage: page }) => {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await audit(page, 'the first screen');

    await page.getByRole('button', { name: /^Options/ }).click();
    await expect(page.getByRole('dialog', { name: 'Connection options' })).toBeVisible();
    await audit(page, 'the connection options');
    await page.getByRole('dialog', { name: 'Connection options' }).getByRole('button', { name: 'Done' }).click();

    // A proxied connection with a message each way, so every tab has something to show.
    const { conn } = await connect(page, { route: 'reverse-proxy:nginx-websocket' });
    await expect(statusOpen(page, conn)).toBeVisible();
    await page.getByLabel('Message text').fill('{"hello":"axe","n":[1,2]}');
    await page.getByRole('button', { name: 'Send text' }).click();
    await openServerActions(page);
    await audit(page, 'Handshake');

    await page.getByRole('tab', { name: 'Frames' }).click();
    await messageRow(page, 'browser → reverse-proxy → echo').first().click();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('heading', { name: /^Frame #/ })).toBeVisible();
    await audit(page, 'Frames, a message selected and opened into its frames');

    await page.getByRole('tab', { name: 'Hops' }).click();
    await page.getByRole('list', { name: 'Sequence of hops' }).getByRole('button').nth(1).click();
    await expect(page.getByRole('region', { name: 'Hop detail' })).toBeVisible();
    await audit(page, 'Hops, an arrow selected');

    await page.getByRole('button', { name: 'Close from browser' }).click();
    await page.getByRole('tab', { name: 'Close' }).click();
    await expect(page.getByText(/CloseEvent 1000 “done” wasClean true/)).toBeVisible();
    await audit(page, 'Close');

    await page.getByRole('button', { name: 'Session' }).click();
    await audit(page, 'the session menu');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Compare view' }).click();
    await page.getByRole('region', { name: 'Compare' }).getByRole('button', { name: 'Compare direct with preset' }).click();
    await expect(page.getByRole('table', { name: 'Side by side' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Headers the echo server received' })).toBeVisible();
    await audit(page, 'Compare');

    await page.getByRole('button', { name: 'Details view' }).click();
    await page.getByRole('button', { name: 'Hide connections' }).click();
    await page.getByRole('button', { name: 'Hide inspector' }).click();
    await audit(page, 'both side panes hidden');
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the lessons catalogue and the lesson player pass axe in the ${colorScheme} theme`, async ({ labPage: page }) => {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Lessons', level: 2 })).toBeVisible();
    await audit(page, 'the lessons catalogue');

    // A step that points at a header at a hop, with its expectations judged, and the Fix it step on the Compare view.
    await page.getByRole('button', { name: 'Start lesson: proxy_pass alone drops the upgrade' }).click();
    const player = page.getByRole('region', { name: 'Lesson player' });
    const status = player.getByRole('status', { name: 'Step status' });
    for (let step = 2; step <= 3; step++) {
      await expect(status).toHaveText('Done.');
      await player.getByRole('button', { name: 'Next ▶' }).click();
    }
    await expect(status).toHaveText('Done.');
    await expect(page.getByRole('complementary', { name: 'Inspector' }).locator('[data-lesson-mark]').first()).toBeVisible();
    await expect(player.getByRole('listitem').filter({ hasText: 'HTTP/1.0' })).toContainText('held');
    await audit(page, 'the lesson player, a header marked at a hop');
    for (let step = 4; step <= 5; step++) {
      await player.getByRole('button', { name: 'Next ▶' }).click();
      await expect(status).toHaveText('Done.');
    }
    await expect(page.getByRole('table', { name: 'Side by side' })).toBeVisible();
    await audit(page, 'the Fix it step on the Compare view');
  });
}
