import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connection, eventsOf, eventually, exchange, responseHead, startEcho, upgradeRequest, type EchoFixture } from '../helpers/net.ts';
import { DEFAULT_SESSION } from '../../src/transcript/types.ts';
import WebSocket from 'ws';

let lab: EchoFixture;
beforeAll(async () => {
  lab = await startEcho();
});
afterAll(() => lab.close());

const target = (conn: string) => `/echo?lab=${lab.session}&conn=${conn}`;

/** After every refusal the server must still upgrade the next client. */
async function stillServes(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/echo`);
  const echoed = await new Promise<string>((resolve, reject) => {
    ws.on('open', () => ws.send('still here'));
    ws.on('message', (m) => resolve(m.toString()));
    ws.on('error', reject);
  });
  ws.close();
  expect(echoed).toBe('still here');
}

describe('echo server refuses bad handshakes with the status RFC 6455 names', () => {
  const cases = [
    { name: 'no Upgrade header', omit: ['upgrade'], status: 426, reason: "missing 'Upgrade' header", header: 'Upgrade: websocket' },
    { name: 'no upgrade token in Connection', omit: ['connection'], extra: ['Connection: keep-alive'], status: 426, reason: "'upgrade' token not found in 'Connection' header", header: 'Upgrade: websocket' },
    { name: 'no Sec-WebSocket-Key', omit: ['sec-websocket-key'], status: 400, reason: "missing 'Sec-WebSocket-Key' header" },
    { name: 'malformed Sec-WebSocket-Key', omit: ['sec-websocket-key'], extra: ['Sec-WebSocket-Key: short'], status: 400, reason: "malformed 'Sec-WebSocket-Key' header" },
    { name: 'unsupported version', omit: ['sec-websocket-version'], extra: ['Sec-WebSocket-Version: 8'], status: 426, reason: "unsupported 'Sec-WebSocket-Version'", header: 'Sec-WebSocket-Version: 13' },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.status}, recorded`, async () => {
      const conn = `refuse-${c.status}-${c.name.replace(/\W+/g, '-')}`;
      const { text } = await exchange(lab.port, upgradeRequest(target(conn), lab.port, c.extra, c.omit));
      expect(text.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${c.status} `));
      expect(text).toContain(c.reason);
      if (c.header) expect(text).toContain(`\r\n${c.header}\r\n`);
      const recorded = await eventually(() => {
        const [response] = eventsOf(connection(lab.store, lab.session, conn), 'response');
        if (!response?.body) throw new Error('response not recorded yet');
        return response;
      });
      expect(recorded.status).toBe(c.status);
      expect(recorded.body).toContain(c.reason);
      expect(recorded).toMatchObject({ observer: 'echo', from: 'echo', to: 'browser' });
      const [request] = eventsOf(connection(lab.store, lab.session, conn), 'request');
      expect(request?.target).toBe(target(conn));
      await stillServes();
    });
  }

  it('an oversized head → 431, recorded under default', async () => {
    const huge = upgradeRequest('/echo', lab.port, [`X-Filler: ${'a'.repeat(20_000)}`]);
    const { text } = await exchange(lab.port, huge);
    expect(text).toMatch(/^HTTP\/1.1 431 /);
    const raw = lab.store.read(DEFAULT_SESSION)!.connections.filter((c) => c.id.startsWith('raw-'));
    const refused = raw.find((c) => eventsOf(c, 'response').some((r) => r.status === 431))!;
    // A valid head that is only too large is not "not HTTP".
    expect(eventsOf(refused, 'error').map((e) => e.code)).toEqual(['HEAD_TOO_LARGE']);
    await stillServes();
  });

  it('an oversized head whose request line names a session is filed under it', async () => {
    const huge = upgradeRequest(target('big-head'), lab.port, [`X-Filler: ${'a'.repeat(20_000)}`]);
    const { text } = await exchange(lab.port, huge);
    expect(text).toMatch(/^HTTP\/1.1 431 /);
    const c = connection(lab.store, lab.session, 'big-head');
    expect(eventsOf(c, 'error').map((e) => e.code)).toEqual(['HEAD_TOO_LARGE']);
    expect(eventsOf(c, 'response')[0]?.status).toBe(431);
  });

  it('garbage instead of HTTP → 400 naming what arrived', async () => {
    const { text } = await exchange(lab.port, Buffer.from('\x16\x03\x01 not http at all\r\n\r\n', 'latin1'));
    expect(text).toMatch(/^HTTP\/1.1 400 /);
    expect(text).toContain('not an HTTP/1.x request line');
    await stillServes();
  });

  it('an unknown fault → 400 naming the faults there are', async () => {
    const { text } = await exchange(lab.port, upgradeRequest('/echo?fault=typo', lab.port));
    expect(text).toMatch(/^HTTP\/1.1 400 /);
    expect(text).toContain('unknown fault=typo');
    expect(text).toContain('wrong-accept');
  });

  it('a POST upgrade → 405', async () => {
    const { text } = await exchange(lab.port, upgradeRequest('/echo', lab.port).replace(/^GET/, 'POST'));
    expect(text).toMatch(/^HTTP\/1.1 405 /);
    await stillServes();
  });

  it('strict=1 refuses an HTTP/1.0 upgrade that ws alone would accept', async () => {
    const lenient = await responseHead(lab.port, upgradeRequest('/echo', lab.port).replace('HTTP/1.1', 'HTTP/1.0'));
    lenient.socket.destroy();
    expect(lenient.head).toMatch(/^HTTP\/1.1 101 /);
    const { text } = await exchange(lab.port, upgradeRequest('/echo?strict=1', lab.port).replace('HTTP/1.1', 'HTTP/1.0'));
    expect(text).toMatch(/^HTTP\/1.1 400 /);
    expect(text).toContain('RFC 6455 §4.1 requires HTTP/1.1');
  });
});
