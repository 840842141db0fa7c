import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab.ts';
import { rawRequest } from '../helpers/raw-http.ts';

// A page the user visits must not drive the lab: not through a cross-site request (the
// browser names the page in Origin), not through a simple form post (no JSON content type),
// and not through a DNS-rebinding name (the browser names it in Host). Each endpoint refuses.

let lab: Lab;
let session: string;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, allowedHosts: ['lab.classroom.test'] });
  session = lab.store.createSession();
  lab.store.openConnection(session, 'c1', { url: 'ws://x/', route: 'direct' });
});
afterAll(() => lab.close());

const ENDPOINTS = () => [
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/api/info' },
  { method: 'POST', path: '/api/sessions' },
  { method: 'GET', path: `/api/sessions/${session}/transcript` },
  { method: 'GET', path: `/api/sessions/${session}/live` },
  { method: 'POST', path: `/api/sessions/${session}/connections/c1/events` },
  { method: 'POST', path: `/api/sessions/${session}/connections/c1/actions` },
];

function request(method: string, path: string, headers: string[], body = method === 'POST' ? '{"kind":"start","meta":{"url":"ws://x/","route":"direct"}}' : '') {
  const lines = [`${method} ${path} HTTP/1.1`, ...headers, 'Connection: close'];
  if (method === 'POST') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return rawRequest(lab.ports.ui, `${lines.join('\r\n')}\r\n\r\n${body}`);
}

const own = () => `Host: 127.0.0.1:${lab.ports.ui}`;

describe('the API boundary', () => {
  it('refuses a DNS-rebinding Host on every endpoint with 403 naming --allowed-host', async () => {
    for (const { method, path } of ENDPOINTS()) {
      const res = await request(method, path, [`Host: attacker.example:${lab.ports.ui}`, 'Content-Type: application/json']);
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.body).toContain('--allowed-host');
    }
  });

  it('refuses another site\'s page (Origin) on every endpoint with 403', async () => {
    for (const { method, path } of ENDPOINTS()) {
      const res = await request(method, path, [own(), 'Origin: https://attacker.example', 'Content-Type: application/json']);
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.body).toContain('another site');
    }
  });

  it('refuses a state-changing request without a JSON body type (a plain form post) with 415, and changes nothing', async () => {
    const before = (lab.store.read(session)?.connections ?? []).length;
    for (const { method, path } of ENDPOINTS().filter((e) => e.method === 'POST')) {
      const res = await request(method, path, [own(), 'Content-Type: application/x-www-form-urlencoded']);
      expect([path, res.status]).toEqual([path, 415]);
    }
    const posted = await request('POST', `/api/sessions/${session}/connections/c2/events`, [own(), 'Content-Type: text/plain']);
    expect(posted.status).toBe(415);
    expect(lab.store.read(session)?.connections.length).toBe(before);
  });

  it('answers its own page, a terminal client without Origin, and a name given with --allowed-host', async () => {
    const page = await request('POST', '/api/sessions', [own(), `Origin: http://127.0.0.1:${lab.ports.ui}`, 'Content-Type: application/json'], '{}');
    expect(page.status).toBe(201);
    const terminal = await request('GET', '/api/info', [`Host: localhost:${lab.ports.ui}`]);
    expect(terminal.status).toBe(200);
    const named = await request('POST', '/api/sessions', ['Host: lab.classroom.test', 'Origin: http://lab.classroom.test', 'Content-Type: application/json'], '{}');
    expect(named.status).toBe(201);
  });

  it('answers a wrong method with 405 and Allow, a malformed escape with 400, an oversized head with 431', async () => {
    const put = await request('PUT', '/api/info', [own()]);
    expect(put.status).toBe(405);
    expect(put.head).toMatch(/\r\nAllow: GET\r\n/);
    const del = await request('DELETE', `/api/sessions/${session}/transcript`, [own()]);
    expect(del.status).toBe(405);
    const escape = await request('GET', '/api/sessions/%E0%A4%A/transcript', [own()]);
    expect(escape.status).toBe(400);
    expect(escape.body).toContain('malformed percent-escape');
    const huge = await request('GET', '/api/info', [own(), `X-Filler: ${'a'.repeat(20_000)}`]);
    expect(huge.status).toBe(431);
  });
});

describe('a lab bound beyond loopback', () => {
  it("answers this machine's own addresses, and still refuses other names", async () => {
    const wide = await startLab({ host: '0.0.0.0', uiPort: 0, echoPort: 0 });
    try {
      const { networkInterfaces } = await import('node:os');
      const address = Object.values(networkInterfaces()).flat().find((a) => a && !a.internal && a.family === 'IPv4')?.address ?? '127.0.0.1';
      const byAddress = await rawRequest(wide.ports.ui, `GET /api/info HTTP/1.1\r\nHost: ${address}:${wide.ports.ui}\r\nConnection: close\r\n\r\n`);
      expect(byAddress.status).toBe(200);
      const rebound = await rawRequest(wide.ports.ui, `GET /api/info HTTP/1.1\r\nHost: attacker.example:${wide.ports.ui}\r\nConnection: close\r\n\r\n`);
      expect(rebound.status).toBe(403);
    } finally {
      await wide.close();
    }
  });
});
