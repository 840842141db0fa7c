import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { startLab, type Lab } from '../../src/lab.ts';
import { DEFAULT_SESSION } from '../../src/transcript/types.ts';
import { eventsOf, exchange, responseHead } from '../helpers/net.ts';

// The forward proxy must not be a way into this machine: by default it tunnels only to the
// lab's own listeners. Another loopback service (a database, the lab's own API) and any other
// machine get 403 with the reason, and each refusal is recorded under the default session.

let lab: Lab;
let service: Server;
let allowed: Server;
let servicePort: number;
let allowedPort: number;
beforeAll(async () => {
  service = createServer((s) => s.end('+PONG\r\n'));
  await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
  servicePort = (service.address() as AddressInfo).port;
  allowed = createServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => allowed.listen(0, '127.0.0.1', r));
  allowedPort = (allowed.address() as AddressInfo).port;
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, forwardProxyPort: 0, forwardProxyAllow: [`127.0.0.1:${allowedPort}`] });
});
afterAll(async () => {
  await lab.close();
  await new Promise((r) => service.close(r));
  await new Promise((r) => allowed.close(r));
});

const connect = (target: string) => exchange(lab.ports.forwardProxy!, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);

/** The refusal recorded under the default session for a CONNECT to `target`. */
function recordedRefusal(target: string) {
  const c = lab.store.read(DEFAULT_SESSION)!.connections.find((x) => eventsOf(x, 'connect').some((e) => e.target === target));
  if (!c) throw new Error(`no refusal recorded for ${target}`);
  return { errors: eventsOf(c, 'error').map((e) => e.code), statuses: eventsOf(c, 'response').map((r) => r.status), findings: c };
}

describe('forward proxy allowlist', () => {
  it('refuses a loopback port that is not one of the lab\'s listeners, naming the flag that allows it', async () => {
    const { text } = await connect(`127.0.0.1:${servicePort}`);
    expect(text).toMatch(/^HTTP\/1.1 403 /);
    expect(text).toContain(`--forward-proxy-allow 127.0.0.1:${servicePort}`);
    expect(text).not.toContain('PONG');
    expect(recordedRefusal(`127.0.0.1:${servicePort}`)).toMatchObject({ errors: ['TARGET_NOT_ALLOWED'], statuses: [403] });
  });

  it("refuses the lab's own API: reaching it as 127.0.0.1 must not make a LAN client local", async () => {
    const { text } = await connect(`localhost:${lab.ports.ui}`);
    expect(text).toMatch(/^HTTP\/1.1 403 /);
  });

  it('refuses other machines', async () => {
    for (const target of ['example.com:443', '10.0.0.1:80', '[2001:db8::1]:443']) {
      const { text } = await connect(target);
      expect([target, text.split('\r\n')[0]]).toEqual([target, 'HTTP/1.1 403 Forbidden']);
    }
    expect(recordedRefusal('example.com:443').errors).toEqual(['TARGET_NOT_ALLOWED']);
  });

  it("tunnels to the lab's listeners under any loopback name, and to what --forward-proxy-allow names", async () => {
    for (const target of [`127.0.0.1:${lab.ports.echo}`, `localhost:${lab.ports.proxy}`, `127.0.0.1:${allowedPort}`]) {
      const { head, socket } = await responseHead(lab.ports.forwardProxy!, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
      socket.destroy();
      expect([target, head]).toEqual([target, 'HTTP/1.1 200 Connection established']);
    }
  });
});
