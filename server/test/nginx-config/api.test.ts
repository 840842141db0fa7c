// POST /api/nginx-configs and what goes with it, against real nginx: refusals and nginx -t's
// own messages with the user's line, the limit on configs that run at once, and nginx stopped
// and its folder removed when a config is replaced, deleted, or the lab stops.

import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/api/server.ts';
import { createNginxConfigsApi } from '../../src/api/nginx-configs.ts';
import type { NginxConfigResult, NginxConfigSummary } from '../../src/api/types.ts';
import type { Lab } from '../../src/lab.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { nginxForTests } from '../nginx/helpers.ts';
import { api, paste, runThrough, startNginxLab } from './kit.ts';

const nginxPath = nginxForTests();

const RECIPE = (marker: string) =>
  `# ${marker}\nlocation /ws/ {\n    proxy_pass http://app:3000;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection "upgrade";\n}\n`;

/** The private folder nginx runs a pasted config from, found by a marker in the text. */
function folderOf(marker: string): string | undefined {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('ws-lab-nginx-')) continue;
    const file = join(tmpdir(), name, 'pasted-server.conf');
    try {
      if (readFileSync(file, 'utf8').includes(marker)) return join(tmpdir(), name);
    } catch {
      // not a pasted config's folder, or removed meanwhile
    }
  }
  return undefined;
}

function nginxPidIn(folder: string): number {
  return Number(readFileSync(join(folder, 'nginx.pid'), 'utf8').trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const NGINX_T: [string, string, number | undefined, string][] = [
  ['an invalid value', 'location /ws/ {\n    proxy_pass http://app:3000;\n    proxy_http_version 1.3;\n}', 3, 'invalid value "1.3"'],
  ['a variable no map defines (nginx names no line; the lab finds it)', 'location /ws/ {\n    proxy_pass http://app:3000;\n    proxy_set_header Connection $connection_upgrade;\n}', 3, 'unknown "connection_upgrade" variable'],
  ['a URI in proxy_pass in a regex location', 'location ~ ^/ws/ {\n    proxy_pass http://app:3000/socket;\n}', 2, '"proxy_pass" cannot have URI part in location given by regular expression, or inside named location, or inside "if" statement, or inside "limit_except" block'],
  ['proxy_pass at server level', 'server {\n    listen 8080;\n    proxy_pass http://app:3000;\n}', 3, '"proxy_pass" directive is not allowed here'],
  ['a location given twice', 'location /ws/ {\n    proxy_pass http://app:3000;\n}\nlocation /ws/ {\n    proxy_pass http://app:3000;\n}', 4, 'duplicate location "/ws/"'],
];

describe.skipIf(!nginxPath)('POST /api/nginx-configs against real nginx', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startNginxLab({ maxNginxConfigs: 2 });
  });
  afterAll(() => lab?.close());

  it.each(NGINX_T)('nginx -t fails on %s: nginx\'s own message, on the pasted line', async (_name, config, line, text) => {
    const { status, result } = await paste(lab, { config });
    expect(status).toBe(422);
    expect(result).toMatchObject({ outcome: 'invalid', test: [{ level: 'emerg', text, line }], error: `nginx -t failed on line ${line}: ${text}` });
  });

  it('text nginx could not even read gets nginx\'s words for it, and never reaches nginx', async () => {
    const { status, result } = await paste(lab, { config: 'location /ws/ {\n    proxy_pass http://app:3000\n}' });
    expect(status).toBe(422);
    expect(result).toMatchObject({ outcome: 'invalid', test: [{ level: 'emerg', text: 'unexpected "}"', line: 3 }] });
  });

  it('a refused directive stops the config before nginx -t, with every refused line and the static check still shown', async () => {
    const { status, result } = await paste(lab, { config: 'location /ws/ {\n    proxy_pass http://app:3000;\n    include /etc/nginx/proxy_params;\n    access_log /var/log/nginx/ws.log;\n}' });
    expect(status).toBe(422);
    expect(result.outcome).toBe('refused');
    expect(result.refusals.map((r) => [r.line, r.kind])).toEqual([[3, 'include'], [4, 'writes-logs']]);
    expect(result.error).toMatch(/^The lab will not run lines 3, 4\. Line 3: include reads another file/);
    expect(result.pitfalls.map((p) => p.id)).toContain('connection-not-set');
    expect(result.test).toEqual([]);
  });

  it('asks for JSON and says what is wrong with the body', async () => {
    const text = await fetch(`http://127.0.0.1:${lab.ports.ui}/api/nginx-configs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'location / {}' });
    expect(text.status).toBe(415);
    expect(await api(lab, 'POST', '/api/nginx-configs', { config: '' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('config must be the nginx text') } });
    expect(await api(lab, 'POST', '/api/nginx-configs', { config: 'location / {}', heartbeatMs: 5 })).toMatchObject({ status: 400, body: { error: expect.stringContaining('heartbeatMs') } });
    expect(await api(lab, 'POST', '/api/nginx-configs', { config: RECIPE('x'), upstream: 'nope' })).toMatchObject({ status: 422, body: { error: expect.stringContaining('no upstream named nope') } });
  });

  it('runs at most the limit at once: the least recently used stops, its nginx exits and its folder goes', async () => {
    const markers = [0, 1, 2].map(() => `limit-${randomBytes(4).toString('hex')}`);
    const first = (await paste(lab, { config: RECIPE(markers[0]!) })).result;
    const folder = folderOf(markers[0]!)!;
    const pid = nginxPidIn(folder);
    expect(alive(pid)).toBe(true);
    await paste(lab, { config: RECIPE(markers[1]!) });
    const third = (await paste(lab, { config: RECIPE(markers[2]!) })).result;
    const running = (await api(lab, 'GET', '/api/nginx-configs')).body as NginxConfigSummary[];
    expect(running.map((r) => r.id)).not.toContain(first.id);
    expect(running.map((r) => r.id)).toContain(third.id);
    expect(existsSync(folder)).toBe(false);
    expect(alive(pid)).toBe(false);
    // A connection for the stopped config is answered by the tap, and says why.
    const session = lab.store.createSession();
    const run = await runThrough(lab, first, { session, conn: 'evicted' });
    expect(run.status).toBe(404);
    const answer = lab.store.read(session)!.connections[0]!.events.find((e) => e.kind === 'response');
    expect(answer).toMatchObject({ status: 404, body: expect.stringContaining(`no pasted nginx config ${first.id} is running (it was replaced, deleted, or stopped to make room: the lab runs at most 2 at once`) });
  });

  it('replacing a config stops the one it replaces; DELETE stops it too', async () => {
    const [a, b] = [`replace-${randomBytes(4).toString('hex')}`, `replace-${randomBytes(4).toString('hex')}`];
    const old = (await paste(lab, { config: RECIPE(a) })).result;
    const oldFolder = folderOf(a)!;
    const replacement = (await paste(lab, { config: RECIPE(b), replaces: old.id! })).result;
    expect(replacement.outcome).toBe('running');
    expect(existsSync(oldFolder)).toBe(false);
    expect((await api(lab, 'GET', `/api/nginx-configs/${old.id}`)).status).toBe(404);
    expect(((await api(lab, 'GET', `/api/nginx-configs/${replacement.id}`)).body as NginxConfigResult).pitfalls.length).toBeGreaterThan(0);
    const folder = folderOf(b)!;
    expect((await api(lab, 'DELETE', `/api/nginx-configs/${replacement.id}`)).status).toBe(204);
    expect(existsSync(folder)).toBe(false);
    expect((await api(lab, 'DELETE', `/api/nginx-configs/${replacement.id}`)).status).toBe(404);
  });

  it('verdicts need a session and a connection of the run', async () => {
    const { result } = await paste(lab, { config: RECIPE(`verdicts-${randomBytes(4).toString('hex')}`) });
    expect((await api(lab, 'GET', `/api/nginx-configs/${result.id}/verdicts?session=nope&conn=x`)).status).toBe(404);
    const session = lab.store.createSession();
    expect(await api(lab, 'GET', `/api/nginx-configs/${result.id}/verdicts?session=${session}&conn=x`)).toMatchObject({ status: 404, body: { error: expect.stringContaining('run through the config first') } });
  });
});

describe.skipIf(!nginxPath)('when the lab stops', () => {
  it('every pasted config\'s nginx exits and its folder is removed', async () => {
    const lab = await startNginxLab();
    const marker = `close-${randomBytes(4).toString('hex')}`;
    await paste(lab, { config: RECIPE(marker) });
    const folder = folderOf(marker)!;
    const pid = nginxPidIn(folder);
    await lab.close();
    expect(existsSync(folder)).toBe(false);
    expect(alive(pid)).toBe(false);
  });
});

/** An address of this machine that is not loopback, to reach the API as another machine would. */
function otherAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
}

describe('pasted configs are taken only from this machine unless allowed', () => {
  const address = otherAddress();
  if (!address && process.env.CI === 'true') throw new Error('this test needs a network interface other than loopback');

  it.skipIf(!address)('refuses a client on another address with 403, and --allow-remote-configs lets it through', async () => {
    const store = new MemoryTranscriptStore();
    for (const allowRemote of [false, true]) {
      const server = createApiServer({
        store, info: () => { throw new Error('not used'); }, act: () => ({ ok: true }), staticDir: tmpdir(), host: '0.0.0.0', port: 0,
        nginxConfigs: createNginxConfigsApi({ store, allowRemote, unavailable: 'no nginx in this test' }),
      });
      const port = await server.listen();
      try {
        const response = await fetch(`http://${address}:${port}/api/nginx-configs`);
        const body = (await response.json()) as { error: string };
        if (allowRemote) expect([response.status, body.error]).toEqual([503, expect.stringContaining('no nginx in this test')]);
        else expect([response.status, body.error]).toEqual([403, expect.stringContaining('start the lab with --allow-remote-configs')]);
        expect((await fetch(`http://127.0.0.1:${port}/api/nginx-configs`)).status).toBe(503);
      } finally {
        await server.close();
      }
    }
  });
});
