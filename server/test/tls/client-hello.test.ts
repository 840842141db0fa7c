import { describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { parseClientHello } from '../../src/wire/tls-client-hello.ts';

/** The first bytes a real TLS client (Node's) sends, caught by a plain TCP server. */
async function helloFrom(options: { servername?: string; ALPNProtocols?: string[] }): Promise<Buffer> {
  const server = createServer();
  const caught = new Promise<Buffer>((resolve) => server.once('connection', (s) => s.once('data', (d: Buffer) => {
    resolve(d);
    s.destroy();
  })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const socket = tlsConnect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, rejectUnauthorized: false, ...options });
  socket.on('error', () => {});
  const bytes = await caught;
  socket.destroy();
  await new Promise((r) => server.close(r));
  return bytes;
}

describe('TLS ClientHello, as a proxy reads it', () => {
  it('reads the server name and ALPN of a real ClientHello', async () => {
    const bytes = await helloFrom({ servername: 'lab.example', ALPNProtocols: ['h2', 'http/1.1'] });
    const parsed = parseClientHello(bytes);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.hello.serverName).toBe('lab.example');
    expect(parsed.hello.alpn).toEqual(['h2', 'http/1.1']);
    expect(parsed.hello.versions).toContain('TLS 1.3');
  });

  it('has no server name when the client sent none', async () => {
    const parsed = parseClientHello(await helloFrom({ ALPNProtocols: ['http/1.1'] }));
    expect(parsed.ok && parsed.hello.serverName).toBeUndefined();
  });

  it('says a ClientHello cut short is incomplete, at every length', async () => {
    const bytes = await helloFrom({ servername: 'lab.example' });
    for (let n = 0; n < bytes.length; n += 7) {
      const parsed = parseClientHello(bytes.subarray(0, n));
      expect(parsed.ok, `${n} bytes`).toBe(false);
    }
  });

  it('refuses garbage without throwing, and never reads past a lying length', () => {
    expect(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toMatchObject({ ok: false, incomplete: false });
    // A record that claims a ClientHello of 0xffffff bytes.
    expect(parseClientHello(Buffer.from('16030100080100ffff03030000', 'hex'))).toMatchObject({ ok: false });
    // A whole hello whose extensions length runs past its end.
    expect(parseClientHello(Buffer.from('160301002f0100002b0303' + '00'.repeat(32) + '00' + '0002c02f' + '0100' + 'ffff', 'hex'))).toMatchObject({ ok: false, incomplete: false });
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      const junk = Buffer.alloc(1 + (i % 300));
      for (let j = 0; j < junk.length; j++) junk[j] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
      junk[0] = 0x16;
      if (junk.length > 1) junk[1] = 0x03;
      expect(() => parseClientHello(junk)).not.toThrow();
    }
  });
});
