import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readLive } from '../helpers/live.ts';
import { startLab, type Lab } from '../../src/lab.ts';
import { Owners } from '../../src/api/ownership.ts';
import type { PresenterBoardState, PresenterState, SessionCreated } from '../../src/api/types.ts';
import { eventually } from '../helpers/net.ts';

// Only the tab that opened a connection may act on it; followers track the presenter's view.

let lab: Lab;
let base: string;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0 });
  base = `http://127.0.0.1:${lab.ports.ui}`;
});
afterAll(() => lab.close());

const PRESENTER = 'presenter-tab-0123456789';
const STUDENT = 'student-tab-0123456789ab';

async function call(method: string, path: string, body: unknown, owner?: string): Promise<{ status: number; error?: string; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (owner) headers['x-lab-owner'] = owner;
  const res = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  const parsed = (text ? JSON.parse(text) : {}) as { error?: string };
  return { status: res.status, body: parsed, ...(parsed.error ? { error: parsed.error } : {}) };
}

const newSession = async () => ((await call('POST', '/api/sessions', {})).body as SessionCreated).id;

const view = (step: number, frame: number | null): PresenterState => ({
  lesson: { id: 'direct-connection', step, ran: step + 1, connections: { hello: 'c-1' } },
  view: 'connection',
  conn: 'c-1',
  tab: 'frames',
  frame,
  hop: null,
  left: null,
  right: null,
  mark: null,
});

describe('a connection belongs to the tab that opened it', () => {
  it('refuses another tab’s actions and reports with 403 and the reason, and lets the owner act', async () => {
    const id = await newSession();
    const url = `ws://127.0.0.1:${lab.ports.echo}/echo?lab=${id}&conn=c-1`;
    const meta = { url, route: 'direct' };
    expect((await call('POST', `/api/sessions/${id}/connections/c-1/events`, { kind: 'start', meta }, PRESENTER)).status).toBe(204);
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    await new Promise((r) => ws.once('open', r));

    for (const owner of [STUDENT, undefined]) {
      const refused = await call('POST', `/api/sessions/${id}/connections/c-1/actions`, { action: 'close', code: 4001 }, owner);
      expect(refused.status).toBe(403);
      expect(refused.error).toContain('opened by another browser tab');
      expect(refused.error).toContain('Detach');
    }
    const report = await call('POST', `/api/sessions/${id}/connections/c-1/events`, { kind: 'close', meta, code: 1000, reason: '', wasClean: true }, STUDENT);
    expect(report.status).toBe(403);
    const stolen = await call('POST', `/api/sessions/${id}/connections/c-1/events`, { kind: 'start', meta }, STUDENT);
    expect(stolen.status).toBe(403);
    expect(ws.readyState).toBe(WebSocket.OPEN);

    expect((await call('POST', `/api/sessions/${id}/connections/c-1/actions`, { action: 'close', code: 4001 }, PRESENTER)).status).toBe(202);
    expect(await new Promise<number>((r) => ws.once('close', (code) => r(code)))).toBe(4001);
  });

  it('leaves a connection registered without a token open to anyone (scripts, terminal clients)', async () => {
    const id = await newSession();
    const meta = { url: `ws://127.0.0.1:${lab.ports.echo}/echo?lab=${id}&conn=c-2`, route: 'direct' };
    expect((await call('POST', `/api/sessions/${id}/connections/c-2/events`, { kind: 'start', meta })).status).toBe(204);
    expect((await call('POST', `/api/sessions/${id}/connections/c-2/actions`, { action: 'ping' }, STUDENT)).status).toBe(404); // not open, but not refused
  });
});

describe('the owners the lab remembers', () => {
  it('are bounded: beyond the cap the oldest connection’s owner is forgotten, and anyone may act on it', () => {
    const owners = new Owners(2);
    for (const conn of ['c-1', 'c-2', 'c-3']) expect(owners.claim('s', conn, PRESENTER)).toBeUndefined();
    expect(owners.check('s', 'c-1', STUDENT)).toBeUndefined();
    expect(owners.check('s', 'c-3', STUDENT)?.status).toBe(403);
    expect(owners.check('s', 'c-3', PRESENTER)).toBeUndefined();
  });
});

describe('the presenter of a session', () => {
  it('is streamed to followers when they join and on every change; another tab must take over', async () => {
    const id = await newSession();
    const boards: PresenterBoardState[] = [];
    const stream = await readLive(`${base}/api/sessions/${id}/live`, (event, data) => event === 'presenter' && boards.push(data as PresenterBoardState));
    await eventually(() => expect(boards[0]?.state).toBeNull());

    expect((await call('POST', `/api/sessions/${id}/presenter`, { state: view(1, null) })).status).toBe(400); // no token
    expect((await call('POST', `/api/sessions/${id}/presenter`, { state: { ...view(1, null), tab: 'nope' } }, PRESENTER)).error).toContain('state.tab');
    expect((await call('POST', `/api/sessions/${id}/presenter`, { state: view(1, null) }, PRESENTER)).status).toBe(200);
    expect((await call('POST', `/api/sessions/${id}/presenter`, { state: view(2, 7) }, PRESENTER)).status).toBe(200);
    await eventually(() => expect(boards.at(-1)?.state).toEqual(view(2, 7)));
    expect(boards.at(-1)!.version).toBeGreaterThan(boards.at(-2)!.version);

    const other = await call('POST', `/api/sessions/${id}/presenter`, { state: view(0, null) }, STUDENT);
    expect(other.status).toBe(409);
    expect(other.error).toContain('another browser tab presents');
    expect((await call('DELETE', `/api/sessions/${id}/presenter`, undefined, STUDENT)).status).toBe(403);
    expect((await call('POST', `/api/sessions/${id}/presenter`, { state: view(0, null), takeOver: true }, STUDENT)).status).toBe(200);
    expect(((await call('GET', `/api/sessions/${id}/presenter`, undefined)).body as PresenterBoardState).state).toEqual(view(0, null));
    expect((await call('DELETE', `/api/sessions/${id}/presenter`, undefined, STUDENT)).status).toBe(204);
    await eventually(() => expect(boards.at(-1)?.state).toBeNull());
    stream.destroy();
  });
});
