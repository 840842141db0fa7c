// --upstream app=wss://…: the lab in front of a WebSocket server over TLS that the test starts
// itself (ws on https, with a certificate the lab made in a temp folder). Through the bundled
// proxy (pass-through and a preset) and real nginx, both legs are recorded, and what the lab
// recorded on the upstream leg is what the app says it received.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Lab } from '../../src/lab.ts';
import { labCertificate } from '../../src/tls/certificate.ts';
import type { Connection, RequestEvent } from '../../src/transcript/types.ts';
import { parseUpstream, parseUpstreams } from '../../src/upstream/upstreams.ts';
import { nginxForTests } from '../nginx/helpers.ts';
import { BROWSER_ORIGIN, startNginxLab } from '../nginx-config/kit.ts';
import { startApp, type App } from './app.ts';

const nginxPath = nginxForTests();

let dir: string;
let app: App;
let lab: Lab;
let session: string;

function hello(url: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { Origin: BROWSER_ORIGIN } });
    let echoed: string | undefined;
    ws.on('error', () => resolve(undefined));
    ws.on('open', () => ws.send('hello'));
    ws.on('message', (m) => {
      echoed = String(m);
      ws.close(1000, 'bye');
    });
    ws.on('close', () => setTimeout(() => resolve(echoed), 100));
  });
}

const requestOn = (c: Connection, from: string, to: string) => c.events.find((e): e is RequestEvent => e.kind === 'request' && e.from === from && e.to === to)!;

describe.skipIf(!nginxPath)('--upstream app=wss://127.0.0.1:<port>/sock', () => {
  const connection = (id: string) => lab.store.read(session)!.connections.find((c) => c.id === id)!;
  const url = (port: number, path: string, conn: string) => `ws://127.0.0.1:${port}${path}?lab=${session}&conn=${conn}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-wss-upstream-'));
    app = await startApp({ certificate: await labCertificate(dir), reply: (m) => `app heard ${m} over tls` });
    const upstreams = parseUpstreams([`app=wss://127.0.0.1:${app.port}/sock`]);
    if (typeof upstreams === 'string') throw new Error(upstreams);
    lab = await startNginxLab({ upstreams });
    session = lab.store.createSession();
  });
  afterAll(async () => {
    await lab?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses wss:// with 443 as its default port', () => {
    expect(parseUpstream('app=wss://app.example/chat')).toMatchObject({ scheme: 'wss', host: 'app.example', port: 443, path: '/chat' });
  });

  it('pass-through on the bundled proxy reaches the app over TLS, and both legs are recorded', async () => {
    const before = app.received.length;
    expect(await hello(url(lab.ports.proxy!, '/upstream/app/sock', 'pass'))).toBe('app heard hello over tls');
    const got = app.received[before]!;
    expect(got.tls).toBe(true);
    const c = connection('pass');
    expect(c.upstream).toEqual({ name: 'app', url: `wss://127.0.0.1:${app.port}/sock` });
    const forwarded = requestOn(c, 'reverse-proxy', 'echo');
    expect({ url: got.url, headers: got.headers }).toEqual({ url: forwarded.target, headers: forwarded.headers });
    expect(c.events.filter((e) => e.kind === 'frame' && e.observer === 'reverse-proxy' && e.from === 'echo').length).toBeGreaterThan(0);
  });

  it('a preset on the bundled proxy and the same preset in real nginx both reach the app over TLS, recorded on both legs', async () => {
    const before = app.received.length;
    expect(await hello(url(lab.ports.proxy!, '/upstream/app/nginx-websocket/sock', 'bundled'))).toBe('app heard hello over tls');
    expect(await hello(url(lab.ports.nginx!, '/upstream/app/nginx-websocket/sock', 'nginx'))).toBe('app heard hello over tls');
    const [viaBundled, viaNginx] = [app.received[before]!, app.received[before + 1]!];
    expect(viaBundled.tls && viaNginx.tls).toBe(true);
    const c = connection('nginx');
    expect(c).toMatchObject({ route: 'nginx', preset: 'nginx-websocket', upstream: { name: 'app' } });
    expect(requestOn(c, 'nginx', 'echo')).toMatchObject({ target: viaNginx.url, headers: viaNginx.headers });
    expect(requestOn(connection('bundled'), 'reverse-proxy', 'echo')).toMatchObject({ target: viaBundled.url, headers: viaBundled.headers });
  });
});
