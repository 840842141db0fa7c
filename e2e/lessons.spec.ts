import { chromium as playwrightChromium } from '@playwright/test';
import type { Lab } from '../server/src/lab.ts';
import { LESSONS } from '../web/src/lessons/index.ts';
import type { Lesson } from '../web/src/lessons/types.ts';
import { chromiumLaunchOptions } from './chromium.ts';
import { EXTRA_CHECKS } from './lesson-checks/index.ts';
import { expect, test, watchChromium } from './lesson-kit.ts';
import { playLesson } from './lesson-runner.ts';

// Every lesson of the catalogue, played from its definition through the real UI: the lesson a
// student sees is the lesson under test. Checks a definition cannot express live in lesson-checks/.

/** A lesson about real nginx fails without it under CI, and says so anywhere else. */
function requireNeeds(lesson: Lesson, lab: Lab): void {
  const nginx = lab.info().nginx;
  if (!lesson.needs?.includes('nginx') || nginx.available) return;
  const why = `${lesson.id} needs real nginx, which is not running: ${nginx.reason} (apt-get install nginx-light)`;
  if (process.env.CI === 'true') throw new Error(why);
  test.skip(true, why);
}

for (const lesson of LESSONS) {
  if (lesson.needs?.includes('browser-proxy') || lesson.needs?.includes('tls') || lesson.needs?.includes('http2')) {
    // Chrome told to use the lab's forward proxy (or the lesson's preset of it) for everything but the lab's own page.
    test(`lesson ${lesson.id}: ${lesson.title}`, async ({ lab }) => {
      const flags: string[] = [];
      if (lesson.needs?.includes('browser-proxy')) {
        const port = lesson.proxy === undefined ? lab.ports.forwardProxy : lab.ports.forwardProxyPresets?.[lesson.proxy];
        if (port === undefined) throw new Error(`${lesson.id} needs the ${lesson.proxy ?? 'plain'} forward proxy, which this lab does not run`);
        flags.push(`--proxy-server=http://127.0.0.1:${port}`, `--proxy-bypass-list=<-loopback>;127.0.0.1:${lab.ports.ui}`);
      }
      // The lab's test certificate, accepted by its SPKI hash: as a user starts Chrome for these lessons.
      const tls = lab.info().tls;
      if (lesson.needs?.includes('tls') && !tls) throw new Error(`${lesson.id} needs the lab's TLS listeners`);
      if (tls) flags.push(`--ignore-certificate-errors-spki-list=${tls.spki}`);
      const browser = await playwrightChromium.launch(chromiumLaunchOptions(flags));
      try {
        const page = await browser.newPage();
        const chromium = await watchChromium(page);
        // A lesson about HTTP/2 plays in the page served over it, as its card says.
        await page.goto(lesson.needs?.includes('http2') ? `https://127.0.0.1:${lab.ports.h2}/` : `http://127.0.0.1:${lab.ports.ui}/`);
        await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
        await playLesson(page, lab, lesson, chromium, EXTRA_CHECKS[lesson.id]);
      } finally {
        await browser.close();
      }
    });
    continue;
  }
  test(`lesson ${lesson.id}: ${lesson.title}`, async ({ labPage: page, lab }) => {
    requireNeeds(lesson, lab);
    const chromium = await watchChromium(page);
    await playLesson(page, lab, lesson, chromium, EXTRA_CHECKS[lesson.id]);
  });
}

test('every extra check names a step of its lesson', () => {
  for (const [id, checks] of Object.entries(EXTRA_CHECKS)) {
    const lesson = LESSONS.find((l) => l.id === id);
    expect(lesson, `lesson ${id}`).toBeDefined();
    for (const step of Object.keys(checks)) expect(lesson!.steps.map((s) => s.id), `${id}: step ${step}`).toContain(step);
  }
});
