import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startLab, type Lab } from '../../src/lab.ts';
import { DEFAULT_SESSION } from '../../src/transcript/types.ts';
import { diagnose } from '../../src/diagnose/index.ts';
import { eventsOf } from '../helpers/net.ts';

// A client that sends its head one byte at a time must not hold a connection: the head
// timeout counts from the first byte and never re-arms per byte (nginx's client_header_timeout),
// so each listener closes it — answering 408 where HTTP allows — while bytes are still coming.

const HEAD_TIMEOUT_MS = 300;
/** The drip: one byte every DRIP_MS, at most DRIP_BYTES of them (about 20 head timeouts). */
const DRIP_MS = 20;
const DRIP_BYTES = 300;

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, forwardProxyPort: 0, headTimeoutMs: HEAD_TIMEOUT_MS });
});
afterAll(() => lab.close());

/** Drips a head that never ends; resolves with what came back and how many bytes were sent before the server closed. */
function drip(port: number, requestLine: string): Promise<{ answer: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const filler = `X-Slow: ${'a'.repeat(DRIP_BYTES)}`;
    let answer = '';
    let sent = 0;
    socket.on('error', () => {});
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.once('connect', () => socket.write(requestLine));
    const timer = setInterval(() => {
      if (sent >= filler.length) {
        clearInterval(timer);
        socket.destroy();
        return reject(new Error(`still open after ${sent} dripped bytes: the timeout re-arms per byte, or never fires`));
      }
      socket.write(filler[sent++]!);
    }, DRIP_MS);
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ answer, sent });
    });
  });
}

describe('slowloris is closed at the head timeout on every listener', () => {
  it('echo server: 408, recorded with the bytes received', async () => {
    const { answer, sent } = await drip(lab.ports.echo, `GET /echo?conn=slow-echo HTTP/1.1\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    expect(sent).toBeLessThan(DRIP_BYTES);
    const c = lab.store.read(DEFAULT_SESSION)!.connections.find((x) => x.id === 'slow-echo')!;
    const [error] = eventsOf(c, 'error');
    expect(error).toMatchObject({ code: 'HEAD_TIMEOUT', observer: 'echo' });
    expect(error!.received!.length).toBeGreaterThan(30);
    expect(diagnose(c).map((f) => f.rule)).toEqual(['head-timeout']);
  });

  it('reverse proxy: 408', async () => {
    const { answer, sent } = await drip(lab.ports.proxy!, `GET /nginx-websocket/echo?conn=slow-proxy HTTP/1.1\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    expect(sent).toBeLessThan(DRIP_BYTES);
    const c = lab.store.read(DEFAULT_SESSION)!.connections.find((x) => x.id === 'slow-proxy')!;
    expect(eventsOf(c, 'error').map((e) => e.code)).toEqual(['HEAD_TIMEOUT']);
  });

  it('forward proxy, CONNECT head: 408', async () => {
    const { answer, sent } = await drip(lab.ports.forwardProxy!, `CONNECT 127.0.0.1:${lab.ports.echo} HTTP/1.1\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    expect(sent).toBeLessThan(DRIP_BYTES);
  });

  it('forward proxy, the request inside the tunnel: the tunnel is closed', async () => {
    const { answer, sent } = await drip(lab.ports.forwardProxy!, `CONNECT 127.0.0.1:${lab.ports.echo} HTTP/1.1\r\n\r\nGET /echo HTTP/1.1\r\n`);
    // Inside the tunnel the proxy has no HTTP answer to give; the echo server behind it, waiting
    // just as long for bytes the proxy holds, may time out first and say 408 itself.
    expect(answer).toMatch(/^HTTP\/1.1 200 Connection established\r\n\r\n(HTTP\/1.1 408 |$)/);
    expect(sent).toBeLessThan(DRIP_BYTES);
  });

  it('lab UI + API: 408', async () => {
    const { answer, sent } = await drip(lab.ports.ui, `GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:${lab.ports.ui}\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    expect(sent).toBeLessThan(DRIP_BYTES);
  });

  it('a connection that never sends a byte is closed too', async () => {
    for (const port of [lab.ports.echo, lab.ports.proxy!, lab.ports.forwardProxy!, lab.ports.ui]) {
      const closed = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        socket.resume(); // read, so the server's FIN (after its 408) is seen
        const timer = setTimeout(() => {
          socket.destroy();
          resolve(false);
        }, HEAD_TIMEOUT_MS * 10);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      expect([port, closed]).toEqual([port, true]);
    }
  });
});
