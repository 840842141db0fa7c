// `npm run record -- [lesson…] [--out <dir>]`: plays lessons in Chromium and writes, per lesson,
// <dir>/<lesson>/ with video.webm, trace.zip, transcript.json, transcript.har and index.html.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/chromium.ts';
import { startLab, type Lab } from '../../server/src/lab.ts';
import type { Transcript } from '../../server/src/transcript/types.ts';
import { LESSONS, lessonById } from '../../web/src/lessons/index.ts';
import type { Lesson } from '../../web/src/lessons/types.ts';
import { idleTimeoutFrom, type LessonWorld } from '../../web/src/lessons/world.ts';
import { ensureUiBuilt } from '../ensure-ui.mjs';
import { indexPage, lessonPage, type RecordedFiles } from './index-html.ts';
import { playLesson, progressOf, type StepResult } from './play.ts';

const root = new URL('../..', import.meta.url).pathname;
/** A path as the user reads it: relative to where they ran the command when it is inside it. */
const shown = (path: string) => (path.startsWith(process.cwd()) ? relative(process.cwd(), path) || '.' : path);

function parseArgs(argv: string[]): { lessons: Lesson[]; out: string } {
  let out = join(root, 'recordings');
  const ids: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--out') out = argv[++i] ?? out;
    else if (arg === '--help' || arg === '-h') {
      console.log('npm run record -- [lesson…] [--out <dir>]   (all lessons by default; recordings/ by default)');
      console.log(`lessons: ${LESSONS.map((l) => l.id).join(' ')}`);
      process.exit(0);
    } else ids.push(arg);
  }
  const unknown = ids.filter((id) => !lessonById(id));
  if (unknown.length > 0) {
    console.error(`No lesson ${unknown.join(', ')}. The lessons: ${LESSONS.map((l) => l.id).join(' ')}`);
    process.exit(2);
  }
  return { lessons: ids.length > 0 ? ids.map((id) => lessonById(id)!) : [...LESSONS], out };
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

/** One lesson: Chromium with video and tracing on, the lesson played, then the lab's record of it. */
async function record(lab: Lab, lesson: Lesson, dir: string, log: (text: string) => void): Promise<{ ok: boolean; harMissing?: string }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ui = `http://127.0.0.1:${lab.ports.ui}`;
  const proxyFlags = lesson.needs?.includes('browser-proxy') ? [`--proxy-server=http://127.0.0.1:${lab.ports.forwardProxy}`, `--proxy-bypass-list=<-loopback>;127.0.0.1:${lab.ports.ui}`] : [];
  const browser = await chromium.launch(chromiumLaunchOptions(proxyFlags));
  let steps: StepResult[] = [];
  let session = '';
  let world: LessonWorld | undefined;
  let error: string | undefined;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, recordVideo: { dir: join(dir, '.video'), size: { width: 1280, height: 720 } } });
    await context.tracing.start({ screenshots: true, snapshots: true, title: lesson.title });
    const page = await context.newPage();
    try {
      await page.goto(`${ui}/`);
      await page.getByRole('button', { name: 'Connect', exact: true }).waitFor();
      steps = await playLesson(page, lab, lesson, (i, title) => log(`step ${i + 1}/${lesson.steps.length}: ${title}`));
    } catch (e) {
      error = (e as Error).message.split('\n')[0];
    }
    ({ session } = progressOf(page));
    const connections = progressOf(page).connections;
    await context.tracing.stop({ path: join(dir, 'trace.zip') });
    const video = page.video();
    await context.close();
    await video?.saveAs(join(dir, 'video.webm'));
    await video?.delete();
    rmSync(join(dir, '.video'), { recursive: true, force: true });
    const transcript = await get(`${ui}/api/sessions/${session}/transcript`);
    const parsed = JSON.parse(transcript.text) as Transcript;
    writeFileSync(join(dir, 'transcript.json'), transcript.text);
    const info = lab.info();
    world = {
      connection: (alias) => parsed.connections.find((c) => c.id === connections[alias]),
      ports: info.ports,
      origin: ui,
      idleTimeoutMs: idleTimeoutFrom(info.presets),
    };
    const har = await get(`${ui}/api/sessions/${session}/har`);
    const files: RecordedFiles = { video: existsSync(join(dir, 'video.webm')), trace: true, transcript: true };
    if (har.status === 200) writeFileSync(join(dir, 'transcript.har'), har.text);
    else files.harMissing = `this lab has no HAR export (GET /api/sessions/<id>/har answered ${har.status})`;
    writeFileSync(join(dir, 'index.html'), lessonPage(lesson, world, parsed, steps, files));
    const stopped = steps.find((s) => !s.status.startsWith('Done'));
    if (error || stopped) log(`did not finish: ${error ?? `${stopped!.title}: ${stopped!.status}`}`);
    return { ok: !error && !stopped && steps.length === lesson.steps.length, ...(files.harMissing ? { harMissing: files.harMissing } : {}) };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const { lessons, out } = parseArgs(process.argv.slice(2));
  if (!ensureUiBuilt()) process.exit(1);
  const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, nginxPort: 0, forwardProxyPort: 0 });
  const results: { lesson: Lesson; ok: boolean }[] = [];
  let harMissing: string | undefined;
  try {
    for (const [i, lesson] of lessons.entries()) {
      const tag = `[${i + 1}/${lessons.length}] ${lesson.id}`;
      if (lesson.needs?.includes('nginx') && !lab.info().nginx.available) {
        console.log(`${tag}: skipped — it needs real nginx, which is not running: ${lab.info().nginx.reason ?? ''} (apt-get install nginx-light)`);
        results.push({ lesson, ok: false });
        continue;
      }
      const started = Date.now();
      console.log(`${tag}: recording…`);
      const dir = join(out, lesson.id);
      const result = await record(lab, lesson, dir, (text) => console.log(`  ${text}`));
      harMissing ??= result.harMissing;
      results.push({ lesson, ok: result.ok });
      console.log(`${tag}: ${result.ok ? 'done' : 'recorded, but the lesson did not finish'} in ${((Date.now() - started) / 1000).toFixed(1)} s → ${shown(dir)}/`);
    }
  } finally {
    await lab.close();
  }
  const recorded = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory() && lessonById(d.name) && existsSync(join(out, d.name, 'index.html')));
  const listed = recorded.map((d) => results.find((r) => r.lesson.id === d.name) ?? { lesson: lessonById(d.name)!, ok: true });
  writeFileSync(join(out, 'index.html'), indexPage(listed));
  if (harMissing) console.log(`\nHAR export is missing: ${harMissing}. transcript.har was not written; every other file was.`);
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length} of ${results.length} lessons recorded in ${shown(out)}/ (open index.html).`);
  if (failed.length > 0) process.exitCode = 1;
}

await main();
