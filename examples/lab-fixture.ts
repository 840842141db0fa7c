/**
 * The `lab` fixture: the WebSocket Upgrade Lab inside your own Playwright suite.
 *
 *   import { test, expect } from '<path to the lab>/examples/lab-fixture.ts';
 *   test('my socket survives nginx', async ({ lab, page }) => {
 *     const run = await lab.replay(page);
 *     await run.connect('app', 'reverse-proxy:nginx-websocket', '/echo', []);
 *     await run.send('app', 'hello');
 *     await run.close('app', 1000, 'done');
 *     await run.expect([{ kind: 'status', on: 'app', status: 101 }, { kind: 'close', on: 'app', code: 1000, wasClean: true }]);
 *   });
 *
 * - The lab starts once per worker, on 127.0.0.1 and free ports (port 0), with every listener
 *   (real nginx too when it is installed); `lab.urls` and `lab.ports` say where.
 * - `lab.replay(page)` gives a session of its own and plays actions from a page of the lab's origin:
 *   connect (a route key as the UI names it, the path after the preset, the subprotocols), send,
 *   server (the echo server's actions), close, and `expect` (the lessons' expectations, judged
 *   against the lab's transcript by the same `evaluate()` the UI's lessons use; polled until they hold).
 * - After each test, the transcript of every session it used and the findings on each connection
 *   are attached to the test: open them in the Playwright HTML report.
 * "Save as scenario" in the lab UI writes specs that use exactly this.
 */
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { startLab, type Lab } from '../server/src/lab.ts';
import type { EchoAction, LabInfo } from '../server/src/api/types.ts';
import type { Transcript } from '../server/src/transcript/types.ts';
import { evaluate } from '../web/src/lessons/evaluate.ts';
import { describeExpectation } from '../web/src/lessons/describe.ts';
import type { Expectation, RouteKey } from '../web/src/lessons/types.ts';
import { idleTimeoutFrom, type LessonWorld } from '../web/src/lessons/world.ts';

export interface LabUrls {
  /** The lab UI and API: open it in a page to see what a test did. */
  ui: string;
  echo: string;
  proxy: string;
  nginx?: string;
  forwardProxy?: string;
}

export interface Replay {
  /** The session this replay files its connections under (`?session=` in the UI). */
  session: string;
  /** Opens a WebSocket from the page; resolves once it opened or closed (or after 5 s). */
  connect(alias: string, route: RouteKey, path: string, protocols?: readonly string[]): Promise<void>;
  /** Sends a text message; resolves once a message came back (or after 2 s). */
  send(alias: string, text: string): Promise<void>;
  /** Asks the echo server to act on the connection (close, ping, fragment, terminate). */
  server(alias: string, action: EchoAction): Promise<void>;
  /** `WebSocket.close(code, reason)`; resolves once the socket closed (or after 3 s). */
  close(alias: string, code: number | undefined, reason: string): Promise<void>;
  /** Waits until every expectation holds against the lab's transcript (10 s), else fails saying what was observed. */
  expect(expectations: readonly Expectation[], timeoutMs?: number): Promise<void>;
  /** The session's transcript, with findings, as `GET /api/sessions/:id/transcript` gives it. */
  transcript(): Promise<Transcript>;
}

export interface LabFixture {
  urls: LabUrls;
  ports: LabInfo['ports'];
  info(): LabInfo;
  replay(page: Page): Promise<Replay>;
}

const HOST = '127.0.0.1';

async function api<T>(ui: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ui}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

function wsUrl(info: LabInfo, route: RouteKey, path: string): { url: string; route: string; preset?: string } {
  const [kind, preset] = route.split(/:(.*)/s) as [string, string | undefined];
  const port = kind === 'direct' ? info.ports.echo : kind === 'reverse-proxy' ? info.ports.proxy : kind === 'nginx' ? info.ports.nginx : undefined;
  if (kind === 'nginx' && !info.nginx.available) throw new Error(`route ${route} needs real nginx, and it is not running in this lab: ${info.nginx.reason ?? ''} (apt-get install nginx-light)`);
  if (port === undefined) throw new Error(`route ${route} cannot be replayed from a page: use direct, reverse-proxy:<preset> or nginx:<preset>`);
  return { url: `ws://${HOST}:${port}${preset ? `/${preset}` : ''}${path}`, route: kind, ...(preset ? { preset } : {}) };
}

/** In the page: the replay's sockets, reporting what only the browser sees as the lab UI does. */
const pageSide = {
  async open(args: { url: string; protocols: string[]; alias: string; report: string; meta: unknown }): Promise<void> {
    type Held = { ws: WebSocket; received: number; closed: boolean };
    const w = window as unknown as { __labReplay?: Record<string, Held> };
    const held = (w.__labReplay ??= {});
    const report = (body: object) => fetch(args.report, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, meta: args.meta }) });
    await report({ kind: 'start' });
    const ws = args.protocols.length > 0 ? new WebSocket(args.url, args.protocols) : new WebSocket(args.url);
    const entry: Held = { ws, received: 0, closed: false };
    held[args.alias] = entry;
    ws.addEventListener('message', () => (entry.received += 1));
    ws.addEventListener('error', () => void report({ kind: 'error', code: 'error-event', message: 'the browser fired an error event' }));
    await new Promise<void>((resolve) => {
      ws.addEventListener('open', () => {
        void report({ kind: 'open', protocol: ws.protocol, extensions: ws.extensions });
        resolve();
      });
      ws.addEventListener('close', (e) => {
        entry.closed = true;
        void report({ kind: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
        resolve();
      });
      setTimeout(resolve, 5000);
    });
  },
};

function createReplay(lab: Lab, ui: string, page: Page, session: string): Replay {
  const conns = new Map<string, string>();
  /** Actions the lab refused during the replay: differences too, reported with the expectations. */
  const refused: string[] = [];
  const held = (alias: string) => {
    const conn = conns.get(alias);
    if (!conn) throw new Error(`no connection ${alias}: connect it first`);
    return conn;
  };
  const waitIn = (alias: string, until: 'received' | 'closed', ms: number, after = 0) =>
    page
      .waitForFunction(
        ([a, u, n]) => {
          const e = (window as unknown as { __labReplay?: Record<string, { received: number; closed: boolean }> }).__labReplay?.[a as string];
          return !e || e.closed || (u === 'received' && e.received > (n as number));
        },
        [alias, until, after] as const,
        { timeout: ms },
      )
      .catch(() => undefined);
  const replay: Replay = {
    session,
    async connect(alias, route, path, protocols = []) {
      const info = lab.info();
      const origin = new URL(ui).origin;
      const target = wsUrl(info, route, path.split('{origin}').join(origin));
      const conn = `${alias}-${conns.size + 1}`;
      conns.set(alias, conn);
      const url = `${target.url}${target.url.includes('?') ? '&' : '?'}lab=${encodeURIComponent(session)}&conn=${encodeURIComponent(conn)}`;
      const meta = { url, route: target.route, ...(target.preset ? { preset: target.preset } : {}) };
      await page.evaluate(pageSide.open, { url, protocols: [...protocols], alias, report: `/api/sessions/${session}/connections/${conn}/events`, meta });
    },
    async send(alias, text) {
      held(alias);
      const before = await page.evaluate(([a, t]) => {
        const e = (window as unknown as { __labReplay: Record<string, { ws: WebSocket; received: number }> }).__labReplay[a]!;
        e.ws.send(t);
        return e.received;
      }, [alias, text] as const);
      await waitIn(alias, 'received', 2000, before);
    },
    async server(alias, action) {
      try {
        await api(ui, 'POST', `/api/sessions/${session}/connections/${held(alias)}/actions`, action);
      } catch (error) {
        refused.push(`${alias}: the echo server could not ${action.action}: ${(error as Error).message}`);
        return;
      }
      if (action.action === 'close' || action.action === 'terminate') await waitIn(alias, 'closed', 3000);
      else await page.waitForTimeout(300);
    },
    async close(alias, code, reason) {
      held(alias);
      await page.evaluate(([a, c, r]) => {
        const ws = (window as unknown as { __labReplay: Record<string, { ws: WebSocket }> }).__labReplay[a]!.ws;
        if (c === null) ws.close();
        else ws.close(c, r);
      }, [alias, code ?? null, reason] as const);
      await waitIn(alias, 'closed', 3000);
    },
    transcript: () => api<Transcript>(ui, 'GET', `/api/sessions/${session}/transcript`),
    async expect(expectations, timeoutMs = 10_000) {
      let failing: string[] = [];
      await expect
        .poll(
          async () => {
            const transcript = await replay.transcript();
            const info = lab.info();
            const world: LessonWorld = {
              connection: (alias) => transcript.connections.find((c) => c.id === conns.get(alias)),
              ports: info.ports,
              origin: new URL(ui).origin,
              idleTimeoutMs: idleTimeoutFrom(info.presets),
            };
            failing = [...refused, ...expectations.flatMap((e) => {
              const verdict = evaluate(e, world, undefined);
              return verdict.state === 'not-yet' ? [`${describeExpectation(e)} — observed: ${verdict.observed}`] : [];
            })];
            return failing;
          },
          { timeout: timeoutMs, message: 'what the hops observed differs from what was recorded' },
        )
        .toEqual([]);
    },
  };
  return replay;
}

/** The transcript and the findings of each session a test used, in the HTML report. */
async function attach(lab: Lab, sessions: readonly string[], testInfo: TestInfo): Promise<void> {
  const ui = `http://${HOST}:${lab.ports.ui}`;
  for (const session of sessions) {
    const transcript = await api<Transcript>(ui, 'GET', `/api/sessions/${session}/transcript`).catch(() => undefined);
    if (!transcript) continue;
    await testInfo.attach(`transcript ${session}.json`, { body: JSON.stringify(transcript, null, 2), contentType: 'application/json' });
    const findings = transcript.connections.map((c) => [`${c.id} (${c.route}${c.preset ? ` · ${c.preset}` : ''})`, ...(c.findings ?? []).map((f) => `  ${f.rule} at ${f.at}: ${f.summary}\n    ${f.why} (${f.reference})${f.fix ? `\n    fix: ${f.fix}` : ''}`), ...((c.findings ?? []).length === 0 ? ['  no findings'] : [])].join('\n'));
    await testInfo.attach(`findings ${session}.txt`, { body: findings.join('\n\n'), contentType: 'text/plain' });
  }
}

export const test = base.extend<{ lab: LabFixture }, { labServer: Lab }>({
  labServer: [
    async ({}, use) => {
      const lab = await startLab({ host: HOST, uiPort: 0, echoPort: 0, proxyPort: 0, nginxPort: 0, forwardProxyPort: 0 });
      await use(lab);
      await lab.close();
    },
    { scope: 'worker' },
  ],
  lab: async ({ labServer: lab }, use, testInfo) => {
    const ui = `http://${HOST}:${lab.ports.ui}`;
    const sessions: string[] = [];
    const p = lab.ports;
    const urls: LabUrls = {
      ui: `${ui}/`,
      echo: `ws://${HOST}:${p.echo}/echo`,
      proxy: `ws://${HOST}:${p.proxy}/`,
      ...(lab.info().nginx.available && p.nginx !== undefined ? { nginx: `ws://${HOST}:${p.nginx}/` } : {}),
      ...(p.forwardProxy === undefined ? {} : { forwardProxy: `http://${HOST}:${p.forwardProxy}` }),
    };
    await use({
      urls,
      ports: p,
      info: () => lab.info(),
      async replay(page) {
        const { id } = await api<{ id: string }>(ui, 'POST', '/api/sessions', {});
        sessions.push(id);
        // A page of the lab's own origin (its API answers one), as the lab UI is: Origin checks see the same.
        await page.goto(`${ui}/api/info`);
        return createReplay(lab, ui, page, id);
      },
    });
    await attach(lab, sessions, testInfo);
  },
});

export { expect };
