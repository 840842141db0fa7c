// The UI under load, in Chromium: a session holding BENCH_UI_HELD frames (100,000) while
// BENCH_UI_RATE frames/s (5,000) arrive for BENCH_UI_SECONDS (20 s), fed through the real lab
// (a WebSocket client on real sockets, the echo server taps both directions). Measured in the
// page (web/src/perf/probe.ts, on with ?perf): each live flush from its start to the commit of
// the render it caused; each keystroke in the search box to the commit showing its results;
// the JS heap through CDP. Printed with the target beside each figure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.ts';
import { startLab, type Lab } from '../server/src/lab.ts';
import { target } from './report.ts';

const HELD = Number(process.env.BENCH_UI_HELD ?? 100_000);
const RATE = Number(process.env.BENCH_UI_RATE ?? 5_000);
const SECONDS = Number(process.env.BENCH_UI_SECONDS ?? 20);
/** Frames per round trip on a direct connection: the client's message and its echo, both seen by the echo server. */
const FRAMES_PER_MESSAGE = 2;
const TARGET = { flushP99: 16, searchP99: 100, heapMB: 300 };

const root = new URL('..', import.meta.url).pathname;

/** `npm start`'s layout: the built UI, rebuilt when older than its sources. */
function ensureUiBuilt(): void {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  const built = join(root, 'web/dist/index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, 'web/src'))) return;
  console.log('Building the UI (vite build)…');
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
}

const payload = (n: number) => JSON.stringify({ n, kind: 'tick', text: `message ${n} from the benchmark` });

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('error', reject); // stays for the socket's life: a late error must not crash the benchmark
    ws.once('open', () => resolve(ws));
  });
}

/** Sends `count` messages, keeping at most `window` unanswered, and resolves when every echo is back. */
function prefill(ws: WebSocket, count: number, window = 256): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    const pump = () => {
      while (sent < count && sent - received < window) ws.send(payload(sent++));
    };
    const onMessage = () => {
      received += 1;
      if (received === count) {
        ws.off('message', onMessage);
        resolve();
      } else pump();
    };
    ws.on('message', onMessage);
    pump();
  });
}

/** Sends at `perSecond` messages for `seconds`, in 20 ms ticks; resolves with how many were sent. */
function stream(ws: WebSocket, from: number, perSecond: number, seconds: number): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    let sent = 0;
    const timer = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      const due = Math.min(perSecond * seconds, Math.floor(perSecond * elapsed));
      while (sent < due) ws.send(payload(from + sent++));
      if (elapsed >= seconds) {
        clearInterval(timer);
        resolve(sent);
      }
    }, 20);
  });
}

async function heapMB(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 1e6;
}

/** Types `text` into the search box one key at a time, as a person would, then clears it. */
async function typeSearch(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Search payloads');
  await box.click();
  await box.pressSequentially(text, { delay: 150 });
  await page.waitForTimeout(300);
  await box.fill('');
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** A UI figure against its target, counted in the benchmark's summary like every other. */
const line = (label: string, value: number, unit: string, bound: number) => target(label, value, '≤', bound, unit, 1);

export async function uiBench(): Promise<void> {
  ensureUiBuilt();
  console.log(
    `\nUI in Chromium at 1280×720: ${HELD.toLocaleString('en-US')} frames held, ${RATE.toLocaleString('en-US')} frames/s arriving for ${SECONDS} s ` +
      '(a direct connection: each message is two frames, the echo server taps both ways)',
  );
  const lab: Lab = await startLab({
    host: '127.0.0.1',
    uiPort: 0,
    echoPort: 0,
    limits: { maxEvents: HELD + RATE * SECONDS + 10_000, maxPayloadBytes: 256 * 1024 * 1024 },
  });
  const browser = await chromium.launch(chromiumLaunchOptions());
  let ws: WebSocket | undefined;
  try {
    const session = lab.store.createSession();
    ws = await open(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&conn=bench`);
    const held = Math.ceil(HELD / FRAMES_PER_MESSAGE);
    let t = performance.now();
    await prefill(ws, held);
    console.log(`  fed ${fmt(held * FRAMES_PER_MESSAGE, 0)} frames through the echo server in ${fmt((performance.now() - t) / 1000)} s`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    t = performance.now();
    await page.goto(`http://127.0.0.1:${lab.ports.ui}/?session=${session}&conn=bench&tab=frames&perf=1`);
    await page
      .getByText(`${(held * FRAMES_PER_MESSAGE).toLocaleString('en-US')} messages`)
      .waitFor({ timeout: 120_000 })
      .catch(async (e: Error) => {
        await page.screenshot({ path: '/tmp/issue9ui/bench-fail.png' });
        throw e;
      });
    console.log(`  page listed the ${fmt(held * FRAMES_PER_MESSAGE, 0)} messages (one per frame: one leg each) ${fmt((performance.now() - t) / 1000)} s after it was opened`);
    await page.evaluate(() => {
      window.__labPerf!.flushes.length = 0;
      window.__labPerf!.searches.length = 0;
    });

    // BENCH_UI_PROFILE=<file>: a CPU profile of the live phase, to open in Chrome DevTools (Performance panel).
    if (process.env.BENCH_UI_PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    let peak = 0;
    const sampler = setInterval(() => void heapMB(cdp).then((h) => (peak = Math.max(peak, h)), () => {}), 1000);
    const perSecond = RATE / FRAMES_PER_MESSAGE;
    const live = stream(ws, held, perSecond, SECONDS);
    // Search while frames arrive, from a third of the way in: the incremental filter keeps up with both.
    await page.waitForTimeout((SECONDS * 1000) / 3);
    const typing = (async () => {
      for (const query of ['message 4242', '"n":1337', 'TICK']) await typeSearch(page, query);
    })();
    const sent = await live;
    await typing;
    clearInterval(sampler);
    if (process.env.BENCH_UI_PROFILE) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
      writeFileSync(process.env.BENCH_UI_PROFILE, JSON.stringify(profile));
      console.log(`  CPU profile of the live phase: ${process.env.BENCH_UI_PROFILE}`);
    }
    await page.waitForTimeout(500);
    const perf = await page.evaluate(() => ({ flushes: [...window.__labPerf!.flushes], searches: [...window.__labPerf!.searches] }));
    if (process.env.BENCH_UI_DEBUG) {
      console.log('  flushes in order:', perf.flushes.map((f) => f.toFixed(0)).join(' '));
      console.log('  keystrokes in order:', perf.searches.map((f) => f.toFixed(0)).join(' '));
    }
    peak = Math.max(peak, await heapMB(cdp));
    await cdp.send('HeapProfiler.collectGarbage');
    const afterGc = await heapMB(cdp);
    const frames = lab.store.read(session)!.connections.find((c) => c.id === 'bench')!.events.filter((e) => e.kind === 'frame').length;

    console.log(`  ${fmt(sent * FRAMES_PER_MESSAGE, 0)} frames arrived live (${fmt((sent * FRAMES_PER_MESSAGE) / SECONDS, 0)}/s); the session ends holding ${fmt(frames, 0)}`);
    console.log(`  ${perf.flushes.length} live flushes: p50 ${fmt(quantile(perf.flushes, 0.5))} ms, max ${fmt(Math.max(...perf.flushes))} ms`);
    console.log(`  ${perf.searches.length} keystrokes in the search box: p50 ${fmt(quantile(perf.searches, 0.5))} ms, max ${fmt(Math.max(...perf.searches))} ms`);
    line('live flush p99', quantile(perf.flushes, 0.99), 'ms', TARGET.flushP99);
    line('search keystroke to results p99', quantile(perf.searches, 0.99), 'ms', TARGET.searchP99);
    line('JS heap used, peak (sampled each s)', peak, 'MB', TARGET.heapMB);
    console.log(`  JS heap used after a forced GC: ${fmt(afterGc)} MB`);
  } finally {
    ws?.terminate();
    await browser.close();
    await lab.close();
  }
}
