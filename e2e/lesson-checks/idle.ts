import type { ErrorEvent, FrameEvent, LabEvent } from '../../server/src/transcript/types.ts';
import { browserCloseOf, browserOpenOf, framesOf } from '../../web/src/lessons/evaluate.ts';
import { expect } from '../fixtures.ts';
import type { ExtraChecks, StepContext } from '../lesson-runner.ts';

const ms = (e: LabEvent) => Date.parse(e.time);
const hops = (ctx: StepContext) => ctx.page.getByRole('list', { name: 'Sequence of hops' });

/** Pings every ~heartbeat from the echo server reach the browser, pongs come back, the proxy never cuts, and Chromium kept the socket open past twice the timeout. */
async function heartbeatHeld(ctx: StepContext): Promise<void> {
  const idle = ctx.world().idleTimeoutMs;
  const events = ctx.recorded().events;
  const frames = events.filter((e): e is FrameEvent => e.kind === 'frame');
  const pings = frames.filter((f) => f.opcode === 0x9 && f.to === 'browser');
  const pongs = frames.filter((f) => f.opcode === 0xa && f.from === 'browser');
  // The last ping may still be on its way back.
  expect(pongs.length).toBeGreaterThanOrEqual(pings.length - 1);
  const gaps = pings.slice(1).map((p, i) => ms(p) - ms(pings[i]!));
  expect(Math.max(...gaps)).toBeLessThan(idle);
  expect(events.some((e) => e.kind === 'error' && e.code === 'PROXY_READ_TIMEOUT')).toBe(false);
  const socket = ctx.chromium.socket(ctx.conn());
  expect(Date.now() - socket.createdAt).toBeGreaterThan(2 * idle);
  expect(socket.closed).toBe(false);
}

/** After the close: the connection lived past twice the timeout, by the lab's clock and Chromium's. */
async function outlived(ctx: StepContext): Promise<void> {
  const idle = ctx.world().idleTimeoutMs;
  const c = ctx.recorded();
  expect(ms(browserCloseOf(c)!) - ms(browserOpenOf(c)!)).toBeGreaterThan(2 * idle);
  const socket = ctx.chromium.socket(ctx.conn());
  await expect.poll(() => socket.closedAt).toBeGreaterThan(0);
  expect(socket.closedAt - socket.createdAt).toBeGreaterThan(2 * idle);
}

export const idleTimeout: ExtraChecks = {
  cut: async (ctx) => {
    const { page } = ctx;
    const idle = ctx.world().idleTimeoutMs;
    await expect(page.getByLabel('nginx configuration for nginx-idle-timeout')).toContainText(`proxy_read_timeout ${idle}ms;`);
    await expect(page.getByRole('option', { name: /nginx-idle-timeout closed 1006/ })).toBeVisible();
    await expect(hops(ctx).getByRole('button', { name: /frames ·/ })).toHaveCount(0);
    await expect(hops(ctx).getByRole('button', { name: /^error PROXY_READ_TIMEOUT.*reverse proxy → browser/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('region', { name: 'Hop detail' })).toContainText(`no data either way for ${idle} ms (proxy_read_timeout)`);
    await expect(hops(ctx).getByRole('button', { name: /^close 1006 wasClean false.*seen by the browser/ })).toBeVisible();
    // The cut came a full timeout after the upgrade, on both legs; Chromium's socket lived about that long.
    const events = ctx.recorded().events;
    const upgraded = events.find((e) => e.kind === 'response' && e.to === 'browser' && e.status === 101)!;
    const cuts = events.filter((e): e is ErrorEvent => e.kind === 'error' && e.code === 'PROXY_READ_TIMEOUT');
    expect(cuts.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['echo>reverse-proxy', 'reverse-proxy>browser']);
    expect(ms(cuts[0]!) - ms(upgraded)).toBeGreaterThanOrEqual(idle - 50);
    const socket = ctx.chromium.socket(ctx.conn());
    await expect.poll(() => socket.closedAt).toBeGreaterThan(0);
    expect(socket.closedAt - socket.createdAt).toBeGreaterThanOrEqual(idle - 100);
    expect(socket.closedAt - socket.createdAt).toBeLessThan(3 * idle);
  },
  fix: async (ctx) => {
    const { page } = ctx;
    const heartbeat = Math.round(ctx.world().idleTimeoutMs / 3);
    expect(ctx.recorded().url).toContain(`heartbeat=${heartbeat}`);
    await expect(page.getByLabel('URL it will open')).toContainText(`heartbeat=${heartbeat}`);
    await heartbeatHeld(ctx);
    // The Hops tab shows why: pings through the proxy, pongs back from the browser.
    await page.getByRole('button', { name: 'Details view' }).click();
    await page.getByRole('tab', { name: 'Hops' }).click();
    await expect(hops(ctx).getByRole('button', { name: /frames \(ping ×\d+\).*frames · reverse proxy → browser/ })).toBeVisible();
    await expect(hops(ctx).getByRole('button', { name: /frames \(pong ×\d+\).*frames · browser → reverse proxy/ })).toBeVisible();
  },
  close: outlived,
};

export const heartbeatVsIdle: ExtraChecks = {
  'too-slow': async (ctx) => {
    expect(framesOf(ctx.recorded()).length).toBe(0);
  },
  fix: heartbeatHeld,
  close: outlived,
};
