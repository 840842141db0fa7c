import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startLab, type Lab } from '../../src/lab.ts';
import { labCertificate, readOwnCertificate, spkiHash, type LabCertificate } from '../../src/tls/certificate.ts';
import { defaultDataDir } from '../../src/data-dir.ts';
import { eventually } from '../helpers/net.ts';

let dir: string;
let certificate: LabCertificate;
let lab: Lab;
let session: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lab-tls-'));
  certificate = await labCertificate(dir);
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, forwardProxyPort: 0, tls: { certificate, echoPort: 0, proxyPort: 0, uiPort: 0 } });
  session = lab.store.createSession();
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens, sends one message, hears it back, closes 1000. */
function echoOnce(url: string, options: WebSocket.ClientOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ca: certificate.cert, ...options });
    ws.on('open', () => ws.send('over tls'));
    ws.on('message', (m) => {
      ws.close(1000, 'done');
      resolve(m.toString());
    });
    ws.on('error', reject);
  });
}

const connection = (conn: string) => lab.store.read(session)?.connections.find((c) => c.id === conn);

describe('the lab certificate', () => {
  it('is made under <data dir>/tls/ on first start, key readable by its owner only, and kept for the next', async () => {
    expect(certificate.generated).toBe(true);
    expect(certificate.certPath).toBe(join(dir, 'tls', 'cert.pem'));
    expect(statSync(certificate.keyPath).mode & 0o077).toBe(0);
    expect(certificate.names).toEqual(expect.arrayContaining(['localhost', '127.0.0.1']));
    const again = await labCertificate(dir);
    expect(again.generated).toBe(false);
    expect(again.spki).toBe(certificate.spki);
    expect(spkiHash(again.cert)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('defaults the data dir to $XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultDataDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/websocket-upgrade-lab');
    expect(defaultDataDir({})).toMatch(/\/\.cache\/websocket-upgrade-lab$/);
  });

  it('refuses a --tls-key that is not the certificate\'s, saying so', async () => {
    const other = mkdtempSync(join(tmpdir(), 'lab-tls-other-'));
    try {
      const second = await labCertificate(other);
      const wrongKey = join(other, 'wrong.pem');
      writeFileSync(wrongKey, second.key);
      expect(() => readOwnCertificate(certificate.certPath, wrongKey)).toThrow(/is not the private key of/);
      expect(() => readOwnCertificate(join(other, 'missing.pem'), wrongKey)).toThrow(/cannot read --tls-cert/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('wss://', () => {
  it('reaches the echo server over TLS, recorded as wss:// with its frames', async () => {
    expect(await echoOnce(`wss://127.0.0.1:${lab.ports.echoTls}/echo?lab=${session}&conn=t1`)).toBe('over tls');
    const c = await eventually(() => {
      const found = connection('t1');
      if (!found?.events.some((e) => e.kind === 'close')) throw new Error('not closed yet');
      return found;
    });
    expect(c.url).toBe(`wss://127.0.0.1:${lab.ports.echoTls}/echo?lab=${session}&conn=t1`);
    expect(c.events.filter((e) => e.kind === 'frame').length).toBeGreaterThanOrEqual(4);
  });

  it('reaches the reverse proxy terminating TLS, which proxies over plain HTTP with $scheme https', async () => {
    expect(await echoOnce(`wss://127.0.0.1:${lab.ports.proxyTls}/nginx-forwarded/echo?lab=${session}&conn=t2`)).toBe('over tls');
    const c = await eventually(() => {
      const found = connection('t2');
      if (!found?.events.some((e) => e.kind === 'request' && e.observer === 'echo')) throw new Error('echo has not seen it');
      return found;
    });
    const atEcho = c.events.find((e) => e.kind === 'request' && e.observer === 'echo');
    expect(atEcho?.kind === 'request' && atEcho.headers).toContainEqual(['X-Forwarded-Proto', 'https']);
  });

  it('through the forward proxy: the CONNECT, the ClientHello name and ALPN, byte counts and no frames by the proxy, under the page connection', async () => {
    const target = `localhost:${lab.ports.echoTls}`;
    const tunnel = connect(lab.ports.forwardProxy!, '127.0.0.1');
    tunnel.on('error', () => {});
    await new Promise<void>((resolve) => {
      tunnel.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
      tunnel.once('data', () => resolve());
    });
    const url = `wss://${target}/echo?lab=${session}&conn=t3`;
    // As a browser does: TLS inside the tunnel, named for the URL's host.
    const secured = tlsConnect({ socket: tunnel, servername: 'localhost', ca: certificate.cert, ALPNProtocols: ['http/1.1'] });
    expect(await echoOnce(url, { createConnection: () => secured })).toBe('over tls');
    const c = await eventually(() => {
      const found = connection('t3');
      if (!found?.events.some((e) => e.kind === 'tunnel-bytes')) throw new Error('tunnel not closed yet');
      return found;
    });
    expect(c.route).toBe('forward-proxy');
    const byProxy = c.events.filter((e) => e.observer === 'forward-proxy');
    expect(byProxy.map((e) => e.kind)).toEqual(['connect', 'response', 'tls-client-hello', 'tunnel-bytes']);
    const hello = byProxy[2]!;
    expect(hello.kind === 'tls-client-hello' && [hello.serverName, hello.alpn]).toEqual(['localhost', ['http/1.1']]);
    const bytes = byProxy[3]!;
    expect(bytes.kind === 'tunnel-bytes' && bytes.clientToServer > 0 && bytes.serverToClient > 0).toBe(true);
    // The echo server, behind the tunnel, read the request and frames; its peer is the forward proxy.
    const atEcho = c.events.find((e) => e.kind === 'request' && e.observer === 'echo');
    expect(atEcho?.from).toBe('forward-proxy');
  });
});
