import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startLab, type Lab } from '../../src/lab.ts';
import type { ImportedSession, SessionCreated } from '../../src/api/types.ts';
import type { Transcript } from '../../src/transcript/types.ts';
import { eventually } from '../helpers/net.ts';

let lab: Lab;
let base: string;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0 });
  base = `http://127.0.0.1:${lab.ports.ui}`;
});
afterAll(() => lab.close());

const JSON_TYPE = { 'content-type': 'application/json' };
async function call<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}
const post = <T = { error: string }>(path: string, body: string) => call<T>(path, { method: 'POST', body, headers: JSON_TYPE });
const transcript = async (id: string) => (await call<Transcript>(`/api/sessions/${id}/transcript`)).body;

/** A session with one proxied connection: text, binary and a close, recorded by the real hops. */
async function recordedSession(): Promise<string> {
  const { body } = await post<SessionCreated>('/api/sessions', '{}');
  const ws = new WebSocket(`ws://127.0.0.1:${lab.ports.proxy}/nginx-websocket/echo?lab=${body.id}&conn=c1`);
  ws.on('error', () => {});
  await new Promise((resolve) => ws.once('open', resolve));
  const echoes = new Promise((resolve) => {
    let n = 0;
    ws.on('message', () => ++n === 2 && resolve(undefined));
  });
  ws.send('hello, import');
  ws.send(Buffer.from([0, 1, 2, 255]));
  await echoes;
  ws.close(1000, 'done');
  await new Promise((resolve) => ws.once('close', resolve));
  await eventually(async () => expect((await transcript(body.id)).connections[0]!.events.filter((e) => e.kind === 'close').length).toBeGreaterThanOrEqual(2));
  return body.id;
}

describe('opening a transcript file', () => {
  it('export → import gives an equal transcript, in a new read-only session', async () => {
    const id = await recordedSession();
    const exported = await (await fetch(`${base}/api/sessions/${id}/transcript`)).text();
    const created = await post<ImportedSession>('/api/sessions/import?name=class.json', exported);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ from: 'transcript', connections: 1 });
    expect(created.body.id).not.toBe(id);
    const original = JSON.parse(exported) as Transcript;
    const reopened = await transcript(created.body.id);
    expect(reopened.imported).toMatchObject({ from: 'transcript', name: 'class.json' });
    const { session: _a, imported: _b, ...rest } = reopened;
    const { session: _c, ...expected } = original;
    expect(rest).toEqual(expected);
    expect(reopened.connections[0]!.findings).toEqual(original.connections[0]!.findings);
    // And again: the imported session exports the same transcript.
    const twice = await post<ImportedSession>('/api/sessions/import', JSON.stringify(reopened));
    const { session: _d, imported: _e, ...again } = await transcript(twice.body.id);
    expect(again).toEqual(expected);
  });

  it('refuses actions, browser reports and traffic on an imported session, saying why', async () => {
    const id = await recordedSession();
    const created = await post<ImportedSession>('/api/sessions/import?name=t.json', await (await fetch(`${base}/api/sessions/${id}/transcript`)).text());
    const copy = created.body.id;
    const action = await post(`/api/sessions/${copy}/connections/c1/actions`, JSON.stringify({ action: 'ping' }));
    expect(action.status).toBe(409);
    expect(action.body.error).toMatch(/opened from a transcript file \(t\.json\): it is read-only/);
    const report = await post(`/api/sessions/${copy}/connections/c2/events`, JSON.stringify({ kind: 'start', meta: { url: 'ws://x/', route: 'direct' } }));
    expect(report.status).toBe(409);
    const before = JSON.stringify(await transcript(copy));
    const ws = new WebSocket(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${copy}&conn=c1`);
    ws.on('error', () => {});
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('not recorded');
    await new Promise((resolve) => ws.once('message', resolve));
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    expect(JSON.stringify(await transcript(copy))).toBe(before);
  });

  it('names the first bad field', async () => {
    const good = JSON.parse(await (await fetch(`${base}/api/sessions/${await recordedSession()}/transcript`)).text()) as Transcript;
    const cases: [unknown, RegExp][] = [
      [{ ...good, format: 'something-else' }, /^format must be "ws-upgrade-lab\/transcript", not "something-else"/],
      [{ ...good, version: 2 }, /^version must be 1, not 2/],
      [{ ...good, connections: 'none' }, /^connections must be a list/],
      [[], /^the file must be a JSON object, not a list/],
    ];
    const badFrame = structuredClone(good);
    const frameAt = badFrame.connections[0]!.events.findIndex((e) => e.kind === 'frame');
    (badFrame.connections[0]!.events[frameAt] as unknown as Record<string, unknown>)['opcode'] = 'text';
    cases.push([badFrame, new RegExp(`^connections\\[0\\]\\.events\\[${frameAt}\\]\\.opcode must be a whole number from 0 to 15, not "text"`)]);
    const badRoute = structuredClone(good);
    (badRoute.connections[0] as unknown as Record<string, unknown>)['route'] = 'carrier-pigeon';
    cases.push([badRoute, /^connections\[0\]\.route must be one of direct, reverse-proxy, nginx, forward-proxy/]);
    for (const [value, message] of cases) {
      const answer = await post('/api/sessions/import', JSON.stringify(value));
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body.error).toMatch(message);
    }
    const notJson = await post('/api/sessions/import', '{"format": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/not JSON/);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/sessions/import`, { method: 'POST', headers: { ...JSON_TYPE, 'content-length': String(129 * 1024 * 1024) } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('{');
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/up to 128 MiB/);
  });
});
