// --upstream: the lab in front of a WebSocket server the test starts itself (ws, as a user's app
// would be). Through the bundled proxy (pass-through and a preset) and real nginx, both legs are
// recorded, and what the lab recorded on the upstream leg is what the server says it received.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { diagnose } from '../../src/diagnose/index.ts';
import type { Lab } from '../../src/lab.ts';
import type { Connection, RequestEvent, ResponseEvent } from '../../src/transcript/types.ts';
import { parseUpstreams } from '../../src/upstream/upstreams.ts';
import { nginxForTests } from '../nginx/helpers.ts';
import { BROWSER_ORIGIN, paste, runThrough, startNginxLab, verdicts } from '../nginx-config/kit.ts';
import { startApp, type Received } from './app.ts';

const nginxPath = nginxForTests();

/** Opens, says hello, waits for the echo (or a refusal), closes 1000. */
function hello(url: string): Promise<{ echoed?: string; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { Origin: BROWSER_ORIGIN } });
    const out: { echoed?: string; status?: number } = {};
    ws.on('error', () => {});
    ws.on('unexpected-response', (_q, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.on('open', () => ws.send('hello'));
    ws.on('message', (m) => {
      out.echoed = String(m);
      ws.close(1000, 'bye');
    });
    ws.on('close', () => setTimeout(() => resolve(out), 100));
  });
}

const legs = (c: Connection) => [...new Set(c.events.map((e) => `${e.kind}:${e.observer}:${e.from}->${e.to}`))].sort();
const requestOn = (c: Connection, from: string, to: string) => c.events.find((e): e is RequestEvent => e.kind === 'request' && e.from === from && e.to === to)!;
const responseOn = (c: Connection, from: string, to: string) => c.events.find((e): e is ResponseEvent => e.kind === 'response' && e.from === from && e.to === to)!;

describe.skipIf(!nginxPath)('--upstream app=ws://127.0.0.1:<port>/sock', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let lab: Lab;
  let session: string;
  const connection = (id: string) => lab.store.read(session)!.connections.find((c) => c.id === id)!;
  const url = (port: number, path: string, conn: string) => `ws://127.0.0.1:${port}${path}?lab=${session}&conn=${conn}`;

  beforeAll(async () => {
    app = await startApp();
    const upstreams = parseUpstreams([`app=ws://127.0.0.1:${app.port}/sock`]);
    if (typeof upstreams === 'string') throw new Error(upstreams);
    lab = await startNginxLab({ upstreams });
    session = lab.store.createSession();
  });
  afterAll(async () => {
    await lab?.close();
    await app?.close();
  });

  it('is listed in /api/info', () => {
    expect(lab.info().upstreams).toEqual([{ name: 'app', url: `ws://127.0.0.1:${app.port}/sock`, path: '/sock' }]);
  });

  it('pass-through on the bundled proxy: the app receives what the client sent, but for the prefix, and both legs are recorded', async () => {
    const before = app.received.length;
    expect(await hello(url(lab.ports.proxy!, '/upstream/app/sock', 'pass'))).toEqual({ echoed: 'app heard hello' });
    const c = connection('pass');
    expect(c).toMatchObject({ route: 'reverse-proxy', upstream: { name: 'app', url: `ws://127.0.0.1:${app.port}/sock` } });
    expect(c.preset).toBeUndefined();
    const sent = requestOn(c, 'browser', 'reverse-proxy');
    const forwarded = requestOn(c, 'reverse-proxy', 'echo');
    const got = app.received[before]!;
    expect(got).toEqual({ url: `/sock?lab=${session}&conn=pass`, httpVersion: forwarded.httpVersion, headers: forwarded.headers, tls: false });
    expect(forwarded.headers).toEqual(sent.headers);
    expect(responseOn(c, 'echo', 'reverse-proxy')).toMatchObject({ status: 101 });
    expect(legs(c)).toEqual(expect.arrayContaining(['frame:reverse-proxy:browser->reverse-proxy', 'frame:reverse-proxy:reverse-proxy->echo', 'frame:reverse-proxy:echo->reverse-proxy', 'frame:reverse-proxy:reverse-proxy->browser']));
  });

  it('a preset on the bundled proxy and the same preset in real nginx send the app the same request, recorded on both legs', async () => {
    const before = app.received.length;
    expect(await hello(url(lab.ports.proxy!, '/upstream/app/nginx-forwarded/sock', 'bundled'))).toEqual({ echoed: 'app heard hello' });
    expect(await hello(url(lab.ports.nginx!, '/upstream/app/nginx-forwarded/sock', 'nginx'))).toEqual({ echoed: 'app heard hello' });
    const [viaBundled, viaNginx] = [app.received[before]!, app.received[before + 1]!];
    const key = (r: Received) => ({ ...r, url: r.url.replace(/conn=\w+/, 'conn=…'), headers: r.headers.map(([n, v]) => [n, n === 'Sec-WebSocket-Key' ? '…' : v]) });
    expect(key(viaNginx)).toEqual(key(viaBundled));
    expect(viaNginx.headers.find(([n]) => n === 'Host')).toEqual(['Host', '127.0.0.1']);
    // What the lab recorded on nginx's upstream leg is what the app received.
    const c = connection('nginx');
    expect(c).toMatchObject({ route: 'nginx', preset: 'nginx-forwarded', upstream: { name: 'app' } });
    expect(requestOn(c, 'nginx', 'echo')).toMatchObject({ observer: 'nginx', target: viaNginx.url, httpVersion: viaNginx.httpVersion, headers: viaNginx.headers });
    expect(legs(c)).toEqual(expect.arrayContaining(['request:nginx:browser->nginx', 'response:nginx:nginx->browser', 'response:nginx:echo->nginx', 'frame:nginx:nginx->echo', 'frame:nginx:echo->nginx']));
  });

  it("nginx's default Host names the app, not the lab's relay", async () => {
    const before = app.received.length;
    await hello(url(lab.ports.nginx!, '/upstream/app/nginx-websocket/sock', 'host'));
    expect(app.received[before]!.headers.find(([n]) => n === 'Host')).toEqual(['Host', `127.0.0.1:${app.port}`]);
  });

  it('findings name the app, not the echo server', async () => {
    expect(await hello(url(lab.ports.nginx!, '/upstream/app/nginx-default/sock', 'refused'))).toEqual({ status: 426 });
    const summaries = diagnose(connection('refused')).map((f) => f.summary);
    expect(summaries.join('\n')).toContain('upstream app answered 426');
    expect(summaries.join('\n')).not.toContain('echo server');
  });

  it('reaches only upstreams named on the command line, and says which exist', async () => {
    expect(await hello(url(lab.ports.proxy!, '/upstream/elsewhere/sock', 'other'))).toEqual({ status: 404 });
    expect(await hello(url(lab.ports.nginx!, '/upstream/elsewhere/nginx-websocket/sock', 'other2'))).toEqual({ status: 404 });
    const said = connection('other2').events.find((e) => e.kind === 'response');
    expect(said).toMatchObject({ status: 404, body: expect.stringContaining('no upstream named "elsewhere" (this lab knows app)') });
    expect(await hello(url(lab.ports.nginx!, '/upstream/app/sock', 'nopreset'))).toEqual({ status: 404 });
  });

  it('a pasted config pointed at the app runs through the relay, and its pitfalls are judged by what the app received', async () => {
    const config = 'location /chat/ {\n    proxy_pass http://backend/;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection "upgrade";\n    proxy_read_timeout 1h;\n}';
    const { status, result } = await paste(lab, { config, upstream: 'app' });
    expect(status).toBe(201);
    expect(result.upstream).toBe('app');
    expect(result.rewrites[0]).toMatchObject({ line: 2, from: 'http://backend/', to: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) });
    const before = app.received.length;
    const run = await runThrough(lab, result, { session, conn: 'pasted', plain: true });
    expect(run.echoed).toBe('app heard hello through your config');
    expect(app.received[before]!.url).toBe(`/?lab=${session}&conn=pasted&nginx-config=${result.id}`);
    const judged = await verdicts(lab, result.id!, session, 'pasted', true);
    expect(judged.find((v) => v.id === 'proxy-pass-uri')).toMatchObject({ verdict: 'confirmed', evidence: expect.stringContaining('upstream app received /') });
    expect(judged.find((v) => v.id === 'connection-constant')).toMatchObject({ verdict: 'confirmed', evidence: expect.stringContaining('reached upstream app with Connection: upgrade and no Upgrade header') });
  });
});

describe('--upstream when the app is not there', () => {
  it('the bundled proxy answers 502 and records why', async () => {
    const app = await startApp();
    const port = app.port;
    await app.close();
    const upstreams = parseUpstreams([`gone=ws://127.0.0.1:${port}`]);
    if (typeof upstreams === 'string') throw new Error(upstreams);
    const { startLab } = await import('../../src/lab.ts');
    const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, upstreams });
    try {
      const session = lab.store.createSession();
      expect(await hello(`ws://127.0.0.1:${lab.ports.proxy}/upstream/gone/?lab=${session}&conn=down`)).toEqual({ status: 502 });
      const c = lab.store.read(session)!.connections[0]!;
      expect(c.events.filter((e) => e.kind === 'error').map((e) => e.kind === 'error' && e.code)).toContain('ECONNREFUSED');
      expect(diagnose(c).map((f) => f.rule)).toContain('socket-error');
    } finally {
      await lab.close();
    }
  });

  it('refuses names given twice, and URLs that are not ws:// or wss://', () => {
    expect(parseUpstreams(['app=ws://a:1', 'app=ws://b:2'])).toMatch(/given twice/);
    expect(parseUpstreams(['app=http://a:1'])).toMatch(/must start with ws:\/\/ or wss:\/\//);
    expect(parseUpstreams(['a/b=ws://a:1'])).toMatch(/must be 1-32 letters/);
  });
});
