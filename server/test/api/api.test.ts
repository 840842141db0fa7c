import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readLive } from '../helpers/live.ts';
import { startLab, type Lab } from '../../src/lab.ts';
import type { Transcript } from '../../src/transcript/types.ts';
import type { LabInfo, SessionCreated } from '../../src/api/types.ts';
import type { LiveEvent } from '../../src/transcript/types.ts';
import { eventually } from '../helpers/net.ts';

let lab: Lab;
let base: string;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0 });
  base = `http://127.0.0.1:${lab.ports.ui}`;
});
afterAll(() => lab.close());

async function json<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}
const post = (path: string, body: unknown) =>
  json<{ error?: string }>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const newSession = () => json<SessionCreated>('/api/sessions', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });

describe('the API', () => {
  it('creates sessions and 404s unknown ones', async () => {
    const created = await newSession();
    expect(created.status).toBe(201);
    expect((await json<Transcript>(`/api/sessions/${created.body.id}/transcript`)).body).toMatchObject({ format: 'ws-upgrade-lab/transcript', version: 1, connections: [] });
    const unknown = await json<{ error: string }>('/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/transcript');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toContain('POST /api/sessions');
  });

  it('reports the ports in use', async () => {
    const { body } = await json<LabInfo>('/api/info');
    expect(body.ports).toMatchObject({ ui: lab.ports.ui, echo: lab.ports.echo });
    expect(body.faults.length).toBeGreaterThan(0);
  });

  it('files browser reports and echo observations under one connection, and streams them live', async () => {
    const { body: { id } } = await newSession();
    const live: LiveEvent[] = [];
    const stream = await readLive(`${base}/api/sessions/${id}/live`, (event, data) => event === 'lab' && live.push(data as LiveEvent));
    const url = `ws://127.0.0.1:${lab.ports.echo}/echo?lab=${id}&conn=c1`;
    expect((await post(`/api/sessions/${id}/connections/c1/events`, { kind: 'start', meta: { url, route: 'direct' } })).status).toBe(204);
    const ws = new WebSocket(url);
    await new Promise((r) => ws.once('open', r));
    expect((await post(`/api/sessions/${id}/connections/c1/actions`, { action: 'close', code: 4001, reason: 'from the server' })).status).toBe(202);
    const close = await new Promise<number>((r) => ws.once('close', (code) => r(code)));
    expect(close).toBe(4001);
    await post(`/api/sessions/${id}/connections/c1/events`, { kind: 'close', meta: { url, route: 'direct' }, code: 4001, reason: 'from the server', wasClean: true });
    const kinds = await eventually(() => {
      const k = live.map((l) => `${l.event.observer}:${l.event.kind}`);
      if (!k.includes('browser:close')) throw new Error(`not yet: ${k.join(' ')}`);
      return k;
    });
    expect(kinds.slice(0, 2)).toEqual(['echo:request', 'echo:response']);
    const { body } = await json<Transcript>(`/api/sessions/${id}/transcript`);
    expect(body.connections.map((c) => c.id)).toEqual(['c1']);
    expect(body.connections[0]!.url).toBe(url);
    stream.destroy();
  });

  it('rejects bad reports and actions with a message, and 404s actions on closed connections', async () => {
    const { body: { id } } = await newSession();
    const bad = await post(`/api/sessions/${id}/connections/x/events`, { kind: 'close', meta: { url: 'ws://x', route: 'direct' }, code: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('integer code');
    const gone = await post(`/api/sessions/${id}/connections/x/actions`, { action: 'ping' });
    expect(gone.status).toBe(404);
    expect(gone.body.error).toContain('not open');
    const notJson = await json<{ error: string }>(`/api/sessions/${id}/connections/x/actions`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    expect(notJson.body.error).toContain('not JSON');
  });
});
