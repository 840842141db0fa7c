import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab.ts';
import { diagnose } from '../../src/diagnose/index.ts';
import type { Connection, Finding, Route } from '../../src/transcript/types.ts';
import { nginxForTests } from '../nginx/helpers.ts';
import { eventually } from '../helpers/net.ts';
import { expectWellFormed } from './load.ts';

// Every preset, once through the bundled reverse proxy and once through real nginx behind the
// lab's tap, must get the same findings from the same rules: same rule, same party (the proxy
// that did it), same corrected config. Live, against Debian's nginx; a ws client stands in for
// Chrome (it offers what Chrome offers) and its events are posted as the UI posts Chrome's.

const IDLE_MS = 1200;
const UI_ORIGIN = 'http://127.0.0.1:8080';
const nginxPath = nginxForTests();
let lab: Lab;
beforeAll(async () => {
  if (!nginxPath) return;
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, nginxPort: 0, nginxPath, idleTimeoutMs: IDLE_MS });
  if (!lab.info().nginx.available) throw new Error(`nginx did not start: ${JSON.stringify(lab.info().nginx)}`);
});
afterAll(() => lab?.close());

interface Run {
  query?: string;
  headers?: Record<string, string>;
  /** Stay quiet after the first echo until the proxy cuts the tunnel. */
  idle?: boolean;
}

/** A browser stand-in through `route`: open, say hello, close with 1000 once echoed (or wait for the cut). */
async function through(route: Extract<Route, 'reverse-proxy' | 'nginx'>, preset: string, conn: string, run: Run = {}): Promise<Connection> {
  const session = lab.store.createSession();
  const port = route === 'nginx' ? lab.ports.nginx : lab.ports.proxy;
  const url = `ws://127.0.0.1:${port}/${preset}/echo?lab=${session}&conn=${conn}${run.query ?? ''}`;
  lab.store.openConnection(session, conn, { url, route, preset });
  const seen = { observer: 'browser', from: route, to: 'browser' } as const;
  await new Promise<void>((resolve) => {
    const ws = new WebSocket(url, { origin: UI_ORIGIN, perMessageDeflate: true, ...(run.headers ? { headers: run.headers } : {}) });
    let failed = false;
    ws.on('open', () => {
      lab.store.append(session, conn, { ...seen, kind: 'open', protocol: ws.protocol, extensions: ws.extensions });
      if (!run.idle) ws.once('message', () => ws.close(1000, 'done'));
      ws.send('hello');
    });
    ws.on('error', () => {
      failed = true;
      lab.store.append(session, conn, { ...seen, kind: 'error', code: 'error-event', message: 'the browser fired error' });
    });
    ws.on('close', (code, reason) => {
      const report = failed ? { code: 1006, reason: '', wasClean: false } : { code, reason: reason.toString(), wasClean: code !== 1006 };
      lab.store.append(session, conn, { ...seen, kind: 'close', ...report });
      resolve();
    });
  });
  // Both ends of every leg have reported how it closed.
  return eventually(() => {
    const connection = lab.store.read(session)!.connections.find((c) => c.id === conn)!;
    const legs = new Set(connection.events.filter((e) => e.kind === 'response' && e.status === 101).map((e) => e.observer));
    const closed = new Set(connection.events.filter((e) => e.kind === 'close' && e.observer !== 'browser').map((e) => e.observer));
    if ([...legs].some((observer) => !closed.has(observer))) throw new Error('a leg has not closed yet');
    return connection;
  }, 4000);
}

/** A finding with the proxy's name made neutral, so the two routes can be compared. */
function neutral(finding: Finding) {
  const proxy = /^(nginx|The reverse proxy)\b/;
  return { rule: finding.rule, at: finding.at === 'nginx' ? 'reverse-proxy' : finding.at, fixConfig: finding.fixConfig, fix: finding.fix, proxyFirst: proxy.test(finding.summary) };
}

async function parity(preset: string, run: Run = {}): Promise<Finding[]> {
  const id = `${preset}${run.query ?? ''}`.replace(/[^a-z0-9-]/gi, '-');
  const bundled = diagnose(await through('reverse-proxy', preset, `b-${id}`, run));
  const nginx = diagnose(await through('nginx', preset, `n-${id}`, run));
  expect(nginx.map(neutral)).toEqual(bundled.map(neutral));
  for (const finding of nginx) expectWellFormed(finding);
  return nginx;
}

describe.skipIf(nginxPath === undefined)('the same findings through the bundled proxy and real nginx', () => {
  it('nginx-websocket: nothing to find', async () => {
    expect(await parity('nginx-websocket')).toEqual([]);
  });

  it('nginx-default: nginx dropped Upgrade, so the echo server answered 426', async () => {
    const [finding] = await parity('nginx-default');
    expect(finding).toMatchObject({ rule: 'refused-missing-upgrade', at: 'nginx' });
    expect(finding!.summary).toBe('nginx dropped Upgrade, a hop-by-hop header, so the echo server answered 426 and the browser reports 1006.');
  });

  it('nginx-missing-connection: nginx sent Connection: close', async () => {
    const [finding] = await parity('nginx-missing-connection');
    expect(finding).toMatchObject({ rule: 'refused-connection-not-upgrade', at: 'nginx' });
  });

  it('nginx-seed: the HTTP/1.0 upgrade the echo server accepted anyway', async () => {
    expect((await parity('nginx-seed')).map((f) => f.rule)).toEqual(['proxy-http10-upgrade']);
  });

  it('nginx-seed with strict=1: refused for HTTP/1.0', async () => {
    const [finding] = await parity('nginx-seed', { query: '&strict=1' });
    expect(finding).toMatchObject({ rule: 'refused-http10-strict', at: 'nginx', fix: 'In the nginx location: proxy_http_version 1.1;' });
  });

  it('nginx-forwarded: Host lost its port, X-Forwarded-For appended', async () => {
    const findings = await parity('nginx-forwarded', { headers: { 'X-Forwarded-For': '10.1.2.3' } });
    expect(findings.map((f) => f.rule)).toEqual(['proxy-host-without-port', 'proxy-x-forwarded-for-appended']);
  });

  it('nginx-idle-timeout: proxy_read_timeout cut the quiet tunnel', async () => {
    const [finding] = await parity('nginx-idle-timeout', { idle: true });
    expect(finding).toMatchObject({ rule: 'proxy-idle-timeout', at: 'nginx' });
    expect(finding!.summary).toMatch(/^nginx closed both legs after 1\.[2-9] s without a frame/);
  });

  it('rfc9110-strict: nothing to find for a browser', async () => {
    expect(await parity('rfc9110-strict')).toEqual([]);
  });
});

describe.skipIf(nginxPath === undefined)('a client without ?lab= through real nginx', () => {
  it('is one connection on the nginx route, and the echo server names nginx as its peer', async () => {
    const before = new Set(lab.store.read('default')!.connections.map((c) => c.id));
    const ws = new WebSocket(`ws://127.0.0.1:${lab.ports.nginx}/nginx-websocket/echo`);
    ws.on('error', () => {});
    await new Promise((resolve) => ws.once('open', resolve));
    ws.close(1000);
    await new Promise((resolve) => ws.once('close', resolve));
    const added = await eventually(() => {
      const connections = lab.store.read('default')!.connections.filter((c) => !before.has(c.id));
      if (connections.flatMap((c) => c.events).filter((e) => e.kind === 'close').length < 2) throw new Error('not closed yet');
      return connections;
    });
    expect(added).toHaveLength(1);
    const [connection] = added;
    expect(connection).toMatchObject({ route: 'nginx', preset: 'nginx-websocket' });
    const requests = connection!.events.filter((e) => e.kind === 'request').map((e) => [e.observer, e.from, e.to]);
    expect(requests).toEqual([
      ['nginx', 'browser', 'nginx'],
      ['echo', 'nginx', 'echo'],
    ]);
    expect(diagnose(connection!)).toEqual([]);
  });
});
