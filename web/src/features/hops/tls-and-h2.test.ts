// The Hops view and Compare on what TLS and HTTP/2 add: a wss:// tunnel through the forward proxy
// (CONNECT, ClientHello, byte counts, no frames by the proxy) and a WebSocket over HTTP/2 (HEADERS,
// :status 200, frames, RST_STREAM). Recorded live through the real lab on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as http2Connect, constants } from 'node:http2';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLab, type Lab } from '../../../../server/src/lab.ts';
import { labCertificate, type LabCertificate } from '../../../../server/src/tls/certificate.ts';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { compareSide } from '../compare/compare-model.ts';
import { summarize } from '../connections/connection-state.ts';
import { stepTitle } from './sequence.ts';
import { hopsOf } from './use-hops.ts';

let dir: string;
let certificate: LabCertificate;
let lab: Lab;
let session: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-hops-'));
  certificate = await labCertificate(dir);
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, forwardProxyPort: 0, tls: { certificate, echoPort: 0, h2Port: 0 } });
  session = lab.store.createSession();
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

async function recorded(conn: string, until: (c: Connection) => boolean): Promise<Connection> {
  for (let i = 0; i < 200; i++) {
    const c = lab.store.read(session)?.connections.find((x) => x.id === conn);
    if (c && until(c)) return c;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${conn} was not recorded as expected: ${JSON.stringify(lab.store.read(session)?.connections.find((x) => x.id === conn)?.events.map((e) => e.kind + ':' + ('code' in e ? e.code : '')))}`);
}

describe('Hops and Compare on TLS and HTTP/2', () => {
  it('a wss:// tunnel: the CONNECT, the ClientHello and the byte counts as arrows, the frames only at the echo server', async () => {
    const target = `localhost:${lab.ports.echoTls}`;
    const tunnel = connect(lab.ports.forwardProxy!, '127.0.0.1');
    tunnel.on('error', () => {});
    await new Promise<void>((resolve) => {
      tunnel.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
      tunnel.once('data', () => resolve());
    });
    const secured = tlsConnect({ socket: tunnel, servername: 'localhost', ca: certificate.cert, ALPNProtocols: ['http/1.1'] });
    const ws = new WebSocket(`wss://${target}/echo?lab=${session}&conn=tunnel`, { createConnection: () => secured });
    await new Promise<void>((resolve) => {
      ws.on('open', () => ws.send('secret'));
      ws.on('message', () => ws.close(1000, 'done'));
      ws.on('close', () => resolve());
    });
    const c = await recorded('tunnel', (x) => x.events.some((e) => e.kind === 'tunnel-bytes'));
    const hops = hopsOf(c);
    expect(hops.sequence.parties).toEqual(['browser', 'forward-proxy', 'echo']);
    const titles = hops.sequence.steps.map(stepTitle);
    expect(titles[0]).toBe(`CONNECT ${target}`);
    expect(titles).toContain('TLS ClientHello · SNI localhost · ALPN http/1.1');
    expect(titles.find((t) => t.startsWith('tunnel closed:'))).toMatch(/^tunnel closed: \d+ bytes →, \d+ bytes ←, unread$/);
    const frameSteps = hops.sequence.steps.filter((s) => s.kind === 'frames');
    expect(frameSteps.length).toBeGreaterThan(0);
    expect(frameSteps.every((s) => s.observer === 'echo')).toBe(true);
    expect(compareSide(c).route).toBe('forward-proxy');
  });

  it('HTTP/2: HEADERS and :status 200 as heads, the frames, and the connection open, not refused', async () => {
    const client = http2Connect(`https://127.0.0.1:${lab.ports.h2}`, { ca: certificate.cert, servername: 'localhost' });
    client.on('error', () => {});
    await new Promise((r) => client.once('remoteSettings', r));
    expect(client.remoteSettings.enableConnectProtocol).toBe(true);
    const stream = client.request({ ':method': 'CONNECT', ':protocol': 'websocket', ':path': `/echo?lab=${session}&conn=h2`, ':scheme': 'https', 'sec-websocket-version': '13' });
    await new Promise((r) => stream.once('response', r));
    // A masked text frame "hi" (RFC 6455 §5.7), echoed.
    stream.write(Buffer.from('818237fa213d5f93', 'hex'));
    await new Promise((r) => stream.once('data', r));
    const c = await recorded('h2', (x) => x.events.filter((e) => e.kind === 'frame').length >= 2);
    stream.close(constants.NGHTTP2_CANCEL);
    client.close();
    const titles = hopsOf(c).sequence.steps.map(stepTitle);
    expect(titles[0]).toBe('CONNECT /echo HTTP/2');
    expect(titles[1]).toBe('200 ');
    expect(titles.slice(2)).toEqual(['1 frame (text)', '1 frame (text)']);
    expect(summarize('h2', c, undefined).tone).not.toBe('error');
    expect(compareSide(c).outcome).not.toMatch(/refused/);
  });
});
