import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { diagnose } from '../../../server/src/diagnose/index.ts';
import { startLab, type Lab } from '../../../server/src/lab.ts';
import { computeAccept } from '../../../server/src/wire/accept.ts';
import { acceptByHand } from './accept-by-hand.ts';
import { evaluate } from './evaluate.ts';
import { lessonById } from './index.ts';
import { resolvePointer } from './resolve.ts';
import type { Expectation } from './types.ts';
import { echoKey, fill, idleTimeoutFrom, type LessonWorld } from './world.ts';

// evaluate() and resolvePointer() against transcripts a real lab recorded: a handshake through
// the bundled proxy's presets from a `ws` client, filed under a session like the page's.

let lab: Lab;
const SESSION = 'lesson-model';

beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, idleTimeoutMs: 1500 });
});
afterAll(() => lab.close());

/** Opens a WebSocket through `preset` as connection `conn`; resolves with the status it got, once the lab has both legs. */
function handshake(preset: string, conn: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${lab.ports.proxy}/${preset}/echo?lab=${SESSION}&conn=${conn}`);
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    ws.on('open', () => {
      ws.close(1000, 'done');
      resolve(101);
    });
  });
}

/** The lesson's world with each alias on the connection of the same name. */
function world(aliases: Record<string, string>): LessonWorld {
  return {
    connection: (alias) => {
      const c = lab.store.read(SESSION)?.connections.find((x) => x.id === aliases[alias]);
      return c && { ...c, findings: diagnose(c) };
    },
    ports: lab.ports,
    origin: 'http://127.0.0.1:8080',
    idleTimeoutMs: idleTimeoutFrom(lab.info().presets),
  };
}

const settled = async (conn: string) => {
  for (let i = 0; i < 100 && !lab.store.read(SESSION)?.connections.find((c) => c.id === conn)?.events.some((e) => e.kind === 'response' && e.to === 'browser'); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('a lesson step judged against a real transcript', () => {
  const step = lessonById('nginx-default')!.steps.find((s) => s.id === 'upgrade-lost')!;

  it("holds where nginx-default lost Upgrade, and points at the proxy's upstream request", async () => {
    expect(await handshake('nginx-default', 'c-default')).toBe(426);
    await settled('c-default');
    const w = world({ broken: 'c-default' });
    for (const e of step.expect!) expect(evaluate(e, w, 'broken'), JSON.stringify(e)).toMatchObject({ state: 'held' });

    const { target, complete } = resolvePointer(step.point![0]!, w, 'broken');
    const upstream = lab.store.read(SESSION)!.connections.find((c) => c.id === 'c-default')!.events.find((e) => e.kind === 'request' && e.observer === 'reverse-proxy' && e.to === 'echo')!;
    expect(complete).toBe(true);
    expect(target).toEqual({ view: 'connection', conn: 'c-default', tab: 'hops', hop: `request-${upstream.seq}`, header: 'upgrade' });
  });

  it('says what it saw instead when the same step is played through the recipe', async () => {
    expect(await handshake('nginx-websocket', 'c-recipe')).toBe(101);
    await settled('c-recipe');
    const w = world({ broken: 'c-recipe' });
    const [, noUpgrade, connectionClose, http10] = step.expect!;
    expect(evaluate(noUpgrade!, w, 'broken')).toEqual({ state: 'not-yet', observed: 'Upgrade: websocket' });
    expect(evaluate(connectionClose!, w, 'broken')).toEqual({ state: 'not-yet', observed: 'Connection: upgrade' });
    expect(evaluate(http10!, w, 'broken')).toEqual({ state: 'not-yet', observed: 'GET … HTTP/1.1' });
    // A step that was never played has nothing to show yet, and an expectation only Chromium can check says so.
    expect(evaluate({ kind: 'status', status: 426 }, world({}), 'broken').state).toBe('not-yet');
    expect(evaluate({ kind: 'chromium', says: 'x' }, w, 'broken').state).toBe('only-chromium');
  });

  it('reads findings with the diagnosis the API runs, in their summary or their why', async () => {
    await settled('c-default');
    const w = world({ broken: 'c-default' });
    const finding = (says: string): Expectation => ({ kind: 'finding', rule: 'refused-missing-upgrade', present: true, says });
    expect(evaluate(finding('dropped Upgrade, a hop-by-hop header'), w, 'broken').state).toBe('held');
    expect(evaluate(finding("exactly nginx's default proxy_pass"), w, 'broken').state).toBe('held');
    expect(evaluate(finding('something it never said'), w, 'broken').state).toBe('not-yet');
    expect(evaluate({ kind: 'finding', rule: 'refused-missing-upgrade', present: false }, w, 'broken').state).toBe('not-yet');
  });

  it('fills the ports, the idle timeout and the Accept the key asks for', async () => {
    await settled('c-recipe');
    const w = world({ fixed: 'c-recipe' });
    const key = echoKey(w.connection('fixed'))!;
    expect(fill('{proxy} {echo} {idle} {accept}', w, 'fixed')).toBe(`${lab.ports.proxy} ${lab.ports.echo} 1500 ${computeAccept(key)}`);
    expect(evaluate({ kind: 'header', event: 'response', from: 'echo', to: 'reverse-proxy', seenBy: 'echo', name: 'Sec-WebSocket-Accept', present: true, value: '{accept}' }, w, 'fixed').state).toBe('held');
  });
});

describe('Sec-WebSocket-Accept by hand', () => {
  it("gives RFC 6455 §1.3's own example, byte for byte", () => {
    const steps = acceptByHand('dGhlIHNhbXBsZSBub25jZQ==');
    expect(steps.concatenated).toBe('dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    expect(steps.sha1Hex).toBe('b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea');
    expect(steps.accept).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(steps.keyBytes).toBe('74 68 65 20 73 61 6d 70 6c 65 20 6e 6f 6e 63 65');
  });

  it('agrees with the server for any key', () => {
    for (let i = 0; i < 50; i++) {
      const key = Buffer.from(Array.from({ length: 16 }, () => Math.floor(Math.random() * 256))).toString('base64');
      expect(acceptByHand(key).accept).toBe(computeAccept(key));
    }
  });
});

describe('the idle timeout a lesson waits on', () => {
  it("reads the idle-timeout preset's proxy_read_timeout in nginx's units", () => {
    expect(idleTimeoutFrom(lab.info().presets)).toBe(1500);
    const config = (value: string) => [{ name: 'nginx-idle-timeout', nginxConfig: `location / {\n    proxy_read_timeout ${value};\n}` }];
    expect(idleTimeoutFrom(config('2s'))).toBe(2000);
    expect(idleTimeoutFrom(config('1m'))).toBe(60_000);
    expect(idleTimeoutFrom([])).toBe(2000);
  });
});
