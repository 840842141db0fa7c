import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { startLab, type Lab } from '../../src/lab.ts';
import type { LiveEvicted } from '../../src/api/types.ts';
import { DEFAULT_SESSION } from '../../src/transcript/types.ts';
import { eventually } from '../helpers/net.ts';

// Memory had no global bound: 40 compressed 1 MB messages cost ~80 MB per session, and ten
// sessions passed 1 GB. One capture budget now holds every session together; the least
// recently active one is evicted to stay under it, and its live stream is told. Its later
// traffic is not recorded — never under `default`, which other users of the lab can read.

const BUDGET = 4 * 1024 * 1024;
let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, limits: { captureBudget: BUDGET } });
});
afterAll(() => lab.close());

/** A live stream of the session; collects what it says until it ends. */
function live(session: string): Promise<{ evicted: Promise<LiveEvicted>; close(): void }> {
  return new Promise((resolve) => {
    request({ host: '127.0.0.1', port: lab.ports.ui, path: `/api/sessions/${session}/live` }, (res: IncomingMessage) => {
      let text = '';
      const evicted = new Promise<LiveEvicted>((found) => {
        res.on('data', (c: Buffer) => {
          text += c.toString();
          const match = /event: evicted\ndata: (.*)\n/.exec(text);
          if (match) found(JSON.parse(match[1]!) as LiveEvicted);
        });
      });
      resolve({ evicted, close: () => res.destroy() });
    }).end();
  });
}

/** Messages of zeros, compressed on the wire, each echoed before the next. */
async function compressedZeros(session: string, conn: string, messages: number, size: number, until?: () => boolean): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&conn=${conn}&deflate=on`, { perMessageDeflate: true });
  ws.on('error', () => {});
  await new Promise((r) => ws.once('open', r));
  const zeros = Buffer.alloc(size);
  for (let i = 0; i < messages && !until?.(); i++) {
    const echoed = new Promise((r) => ws.once('message', r));
    ws.send(zeros);
    await echoed;
    expect(lab.store.captureBytes).toBeLessThanOrEqual(BUDGET);
  }
  ws.close();
  await new Promise((r) => ws.once('close', r));
}

describe('one capture budget across sessions', () => {
  it('ten sessions of compressed zeros stay under the budget; the oldest is evicted and told', async () => {
    const sessions = Array.from({ length: 10 }, () => lab.store.createSession());
    const streams = await Promise.all(sessions.map((s) => live(s)));
    for (const [i, session] of sessions.entries()) await compressedZeros(session, `zeros-${i}`, 10, 256 * 1024);
    expect(lab.store.captureBytes).toBeLessThanOrEqual(BUDGET);
    const told = await streams[0]!.evicted;
    expect(told.session).toBe(sessions[0]);
    expect(told.reason).toContain('--capture-budget');
    expect(lab.store.hasSession(sessions[0]!)).toBe(false);
    expect(lab.store.hasSession(sessions[9]!)).toBe(true);
    for (const s of streams) s.close();

    // Its later traffic is not filed anywhere: not under its id again, not under default.
    await compressedZeros(sessions[0]!, 'after-eviction', 2, 256 * 1024);
    expect(lab.store.hasSession(sessions[0]!)).toBe(false);
    expect(lab.store.read(DEFAULT_SESSION)!.connections.map((c) => c.id)).not.toContain('after-eviction');
  }, 60_000);

  it('a session with an open live stream outlives a more recently active one nobody watches', async () => {
    const fresh = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, limits: { captureBudget: 2 * 1024 * 1024 } });
    const previous = lab;
    lab = fresh;
    try {
      const watched = lab.store.createSession();
      const stream = await live(watched);
      await compressedZeros(watched, 'watched', 2, 100_000);
      const idle = lab.store.createSession();
      await compressedZeros(idle, 'idle', 2, 100_000);
      // Fill the budget from a third session until someone must go: the one nobody watches.
      const filler = lab.store.createSession();
      await compressedZeros(filler, 'filler', 40, 100_000, () => !lab.store.hasSession(idle));
      expect(lab.store.hasSession(idle)).toBe(false);
      expect(lab.store.hasSession(watched)).toBe(true);
      stream.close();
    } finally {
      lab = previous;
      await fresh.close();
    }
  }, 60_000);

  it('traffic for an id the lab never handed out is filed under that id, never under default', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=my-own-session&conn=mine`);
    await new Promise((r) => ws.once('open', r));
    ws.close();
    await eventually(() => expect(lab.store.read('my-own-session')?.connections.map((c) => c.id)).toEqual(['mine']));
    expect(lab.store.read(DEFAULT_SESSION)!.connections.map((c) => c.id)).not.toContain('mine');
  });
});
