import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab.ts';
import { diagnose } from '../../src/diagnose/index.ts';
import { nginxForTests } from '../nginx/helpers.ts';
import { tryOpen } from '../helpers/proxy.ts';

// Real nginx is not tapped: only the echo server sees what it sent. The refusal rules must
// still name nginx, not the browser, and say what nginx did. Live, against Debian's nginx.

const nginxPath = nginxForTests();
let lab: Lab;
beforeAll(async () => {
  if (!nginxPath) return;
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, nginxPort: 0, nginxPath });
});
afterAll(() => lab?.close());

async function throughNginx(preset: string, conn: string, query = '') {
  const session = lab.store.createSession();
  const url = `ws://127.0.0.1:${lab.ports.nginx}/${preset}/echo?lab=${session}&conn=${conn}${query}`;
  // What the UI does before it opens a socket: file the connection under its route.
  lab.store.openConnection(session, conn, { url, route: 'nginx', preset });
  const outcome = await tryOpen(url);
  lab.store.append(session, conn, { kind: 'close', observer: 'browser', from: 'nginx', to: 'browser', code: 1006, reason: '', wasClean: false });
  return { outcome, findings: diagnose(lab.store.read(session)!.connections[0]!) };
}

describe.skipIf(nginxPath === undefined)('diagnosis through real nginx', () => {
  it('nginx-default: names nginx for the lost Upgrade', async () => {
    const { outcome, findings } = await throughNginx('nginx-default', 'n-default');
    expect(outcome).toMatchObject({ kind: 'refused', status: 426 });
    expect(findings[0]).toMatchObject({ rule: 'refused-missing-upgrade', at: 'nginx' });
    expect(findings[0]!.summary).toBe(
      'nginx sent the echo server an HTTP/1.0 request without an Upgrade: websocket header, so it answered 426 and the browser reports 1006.',
    );
  });

  it('nginx-missing-connection: names nginx for Connection: close', async () => {
    const { findings } = await throughNginx('nginx-missing-connection', 'n-missing');
    expect(findings[0]).toMatchObject({ rule: 'refused-connection-not-upgrade', at: 'nginx' });
    expect(findings[0]!.summary).toContain('Connection: close');
  });

  it('nginx-seed with strict=1: names nginx for the HTTP/1.0 upgrade', async () => {
    const { outcome, findings } = await throughNginx('nginx-seed', 'n-seed', '&strict=1');
    expect(outcome).toMatchObject({ kind: 'refused', status: 400 });
    expect(findings[0]).toMatchObject({ rule: 'refused-http10-strict', at: 'nginx', fix: 'In the nginx location: proxy_http_version 1.1;' });
  });
});
