import { test as base, expect, type CDPSession, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '../server/src/lab.ts';
import { labCertificate } from '../server/src/tls/certificate.ts';
import { causesOnCleanConnections } from '../server/test/diagnose/sweep.ts';

export interface HandshakeRequest {
  url: string;
  headers: Record<string, string>;
}

interface Fixtures {
  /** The page, opened on the lab UI with a fresh session. */
  labPage: Page;
  /** What Chromium itself reported about its WebSocket handshakes (CDP Network domain). */
  cdpHandshakes: HandshakeRequest[];
}

interface WorkerFixtures {
  lab: Lab;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  lab: [
    async ({}, use) => {
      // A test certificate in a folder of its own, never the user's data dir.
      const dataDir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
      const tls = { certificate: await labCertificate(dataDir), echoPort: 0, proxyPort: 0, uiPort: 0, h2Port: 0, h2NoConnectPort: 0 };
      const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, nginxPort: 0, forwardProxyPort: 0, forwardProxyPresetPorts: { 'connect-443-only': 0, 'tls-only': 0, 'http-only': 0 }, idleTimeoutMs: 1500, tls });
      const nginx = lab.info().nginx;
      if (process.env.CI === 'true' && !nginx.available) {
        await lab.close();
        throw new Error(`CI needs real nginx for the lessons, and it is not running: ${nginx.reason}`);
      }
      await use(lab);
      await lab.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  cdpHandshakes: async ({ page }, use) => {
    const cdp: CDPSession = await page.context().newCDPSession(page);
    const seen: HandshakeRequest[] = [];
    const urls = new Map<string, string>();
    cdp.on('Network.webSocketCreated', (e: { requestId: string; url: string }) => urls.set(e.requestId, e.url));
    cdp.on('Network.webSocketWillSendHandshakeRequest', (e: { requestId: string; request: { headers: Record<string, string> } }) =>
      seen.push({ url: urls.get(e.requestId) ?? '', headers: e.request.headers }),
    );
    await cdp.send('Network.enable');
    await use(seen);
    await cdp.detach().catch(() => {});
  },
  labPage: async ({ page, lab, cdpHandshakes: _ }, use) => {
    await page.goto(`http://127.0.0.1:${lab.ports.ui}/`);
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
    await use(page);
    // Every lesson, whatever it teaches: a connection that closed cleanly carries no cause.
    const session = new URL(page.url()).searchParams.get('session');
    if (session) await expectNoCauseOnCleanConnections(lab, session);
  },
});

/**
 * No finding that claims a cause on a connection of `session` that closed cleanly (a valid
 * connection): notes only. Polled, because the last hop's close may still be on its way.
 */
export async function expectNoCauseOnCleanConnections(lab: Lab, session: string): Promise<void> {
  const ports = { uiPort: lab.ports.ui, ...(lab.ports.forwardProxy === undefined ? {} : { forwardProxyPort: lab.ports.forwardProxy }) };
  await expect
    .poll(() => causesOnCleanConnections(lab.store.read(session)?.connections ?? [], ports), {
      message: 'findings that claim a cause on a connection that closed cleanly',
      timeout: 3000,
    })
    .toEqual([]);
}

/** The session the page created, from its URL (`?session=`). */
export function sessionOf(page: Page): string {
  const session = new URL(page.url()).searchParams.get('session');
  if (!session) throw new Error(`the page URL has no session: ${page.url()}`);
  return session;
}

export { expect };
