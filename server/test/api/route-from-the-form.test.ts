import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLab, type Lab } from '../../src/lab.ts';
import type { SessionCreated } from '../../src/api/types.ts';
import type { Connection, Transcript } from '../../src/transcript/types.ts';
import { eventually } from '../helpers/net.ts';

// The page registers a connection before it opens it, with the route chosen in the form. A
// connection used to keep that route whatever the wire showed: "Forward proxy" chosen in a
// browser without proxy settings was badged forward-proxy, and the browser's own events were
// filed as coming from the forward proxy, although the browser had talked to the echo server.
// The route is now the first hop's; the choice is kept beside it as chosenRoute.

let lab: Lab;
let base: string;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, forwardProxyPort: 0 });
  base = `http://127.0.0.1:${lab.ports.ui}`;
});
afterAll(() => lab.close());

async function post(path: string, body: unknown): Promise<number> {
  const res = await fetch(base + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await res.text();
  return res.status;
}

async function transcript(session: string): Promise<Transcript> {
  return (await (await fetch(`${base}/api/sessions/${session}/transcript`)).json()) as Transcript;
}

/** What the page does: register, open the WebSocket, report open and close with the same meta. */
async function asThePage(session: string, conn: string, url: string, meta: Record<string, unknown>): Promise<void> {
  const events = `/api/sessions/${session}/connections/${conn}/events`;
  expect(await post(events, { kind: 'start', meta })).toBe(204);
  const ws = new WebSocket(url, { origin: base });
  await new Promise((resolve) => ws.once('open', resolve));
  expect(await post(events, { kind: 'open', meta, protocol: '', extensions: '' })).toBe(204);
  const closed = new Promise<number>((resolve) => ws.once('close', resolve));
  ws.close(1000, 'done');
  expect(await closed).toBe(1000);
  expect(await post(events, { kind: 'close', meta, code: 1000, reason: 'done', wasClean: true })).toBe(204);
}

async function recorded(session: string, conn: string): Promise<Connection> {
  return eventually(async () => {
    const c = (await transcript(session)).connections.find((x) => x.id === conn);
    if (!c?.events.some((e) => e.kind === 'close' && e.observer === 'echo')) throw new Error('not closed yet');
    return c;
  });
}

describe('the route is what the wire showed, not what the form said', () => {
  it('forward proxy chosen, no CONNECT: recorded direct, the browser talking to the echo server, with the flags that fix it', async () => {
    const session = ((await (await fetch(`${base}/api/sessions`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as SessionCreated).id;
    const url = `ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&conn=chose-forward`;
    await asThePage(session, 'chose-forward', url, { url, route: 'forward-proxy' });
    const c = await recorded(session, 'chose-forward');
    expect(c).toMatchObject({ route: 'direct', chosenRoute: 'forward-proxy' });
    expect(c.events.filter((e) => e.observer === 'browser').map((e) => `${e.kind}: ${e.from} → ${e.to}`)).toEqual(['open: echo → browser', 'close: echo → browser']);
    expect(c.events.find((e) => e.kind === 'request')).toMatchObject({ observer: 'echo', from: 'browser' });
    const finding = c.findings?.find((f) => f.rule === 'no-connect-arrived');
    expect(finding?.fix).toContain(`--proxy-server=http://127.0.0.1:${lab.ports.forwardProxy} --proxy-bypass-list='<-loopback>;127.0.0.1:${lab.ports.ui}'`);
  });

  it('a page cannot pass its choice off as an observation', async () => {
    const session = ((await (await fetch(`${base}/api/sessions`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as SessionCreated).id;
    const url = `ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&conn=claims-nginx`;
    await asThePage(session, 'claims-nginx', url, { url, route: 'nginx', preset: 'nginx-websocket', chosen: false });
    const c = await recorded(session, 'claims-nginx');
    expect(c).toMatchObject({ route: 'direct', chosenRoute: 'nginx' });
    expect(c.preset).toBeUndefined();
  });
});
