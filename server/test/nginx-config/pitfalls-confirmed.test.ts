// Every pitfall of the static check, on a config that has it, confirmed by a run through that
// config in real nginx; and each refuted by a run through the fixed config.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NginxConfigResult, NginxPitfallId } from '../../src/api/types.ts';
import type { Lab } from '../../src/lab.ts';
import { judgePitfalls } from '../../src/nginx-config/judge.ts';
import { nginxForTests } from '../nginx/helpers.ts';
import { paste, recorded, runThrough, startNginxLab, verdicts, type RunOptions } from './kit.ts';

const nginxPath = nginxForTests();

const MAP = ['map $http_upgrade $connection_upgrade {', '    default upgrade;', "    ''      close;", '}'];
/** A location with the WebSocket recipe, but for `change`: lines 5 on are the location. */
const recipe = (change: (lines: string[]) => string[]) =>
  [
    ...MAP,
    ...change([
      'location /ws/ {',
      '    proxy_pass http://app.internal:3000;',
      '    proxy_http_version 1.1;',
      '    proxy_set_header Upgrade $http_upgrade;',
      '    proxy_set_header Connection $connection_upgrade;',
      '    proxy_read_timeout 1h;',
      '}',
    ]),
  ].join('\n');
const without = (prefix: string) => (lines: string[]) => lines.filter((l) => !l.trim().startsWith(prefix));
const replace = (prefix: string, line: string) => (lines: string[]) => lines.map((l) => (l.trim().startsWith(prefix) ? line : l));

interface Case {
  id: NginxPitfallId;
  config: string;
  /** The line the static check points at. */
  line: number;
  heartbeatMs?: number;
  run?: Partial<RunOptions>;
  evidence: RegExp;
}

const CASES: Case[] = [
  { id: 'proxy-http-version', config: recipe(without('proxy_http_version')), line: 5, evidence: /^The echo server received GET \/ws\/ HTTP\/1\.0: an HTTP\/1\.0 upgrade request, and the echo server answered 101/ },
  { id: 'upgrade-not-set', config: recipe(without('proxy_set_header Upgrade')), line: 5, evidence: /^The echo server received GET \/ws\/ HTTP\/1\.1 with no Upgrade header \(the browser sent Upgrade: websocket\), so the echo server answered 426/ },
  { id: 'connection-not-set', config: recipe(without('proxy_set_header Connection')), line: 5, evidence: /with Connection: close, so the echo server answered 426 Upgrade Required/ },
  {
    id: 'connection-constant',
    config: recipe(replace('proxy_set_header Connection', '    proxy_set_header Connection "upgrade";')),
    line: 9,
    run: { plain: true },
    evidence: /^A plain request \(GET with no Upgrade header\) reached the echo server with Connection: upgrade and no Upgrade header/,
  },
  {
    id: 'host-without-port',
    config: recipe((l) => [...l.slice(0, -1), '    proxy_set_header Host $host;', '}']),
    line: 11,
    evidence: /^The browser sent Host: 127\.0\.0\.1:\d+; the echo server received Host: 127\.0\.0\.1, without the port/,
  },
  {
    id: 'read-timeout',
    config: recipe(replace('proxy_read_timeout', '    proxy_read_timeout 1s;')),
    line: 10,
    run: { idleMs: 3000 },
    evidence: /^nginx closed both legs after 1\.\d s without a frame, sending no close frame\. nginx logged "upstream timed out \(110: Connection timed out\) while proxying upgraded connection"/,
  },
  {
    // The app pings every 2 s; a 1 s timeout cuts the tunnel before the first ping.
    id: 'read-timeout',
    config: recipe(replace('proxy_read_timeout', '    proxy_read_timeout 1s;')),
    line: 10,
    heartbeatMs: 2000,
    run: { idleMs: 3000, heartbeatMs: 2000 },
    evidence: /^nginx closed both legs after 1\.\d s without a frame/,
  },
  {
    id: 'server-headers-dropped',
    config: [
      ...MAP,
      'server {',
      '    listen 8080;',
      '    proxy_set_header X-Real-IP $remote_addr;',
      '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '    location /ws/ {',
      '        proxy_pass http://app.internal:3000;',
      '        proxy_http_version 1.1;',
      '        proxy_set_header Upgrade $http_upgrade;',
      '        proxy_set_header Connection $connection_upgrade;',
      '        proxy_read_timeout 1h;',
      '    }',
      '}',
    ].join('\n'),
    line: 7,
    evidence: /^The echo server received X-Real-IP: not received; X-Forwarded-For: not received\.$/,
  },
  { id: 'proxy-pass-uri', config: recipe(replace('proxy_pass', '    proxy_pass http://app.internal:3000/;')), line: 6, evidence: /^The browser asked nginx for \/ws\/; the echo server received \/, and the echo server answered 101/ },
];

/** The same location with every pitfall fixed. */
const FIXED = [
  ...MAP,
  'server {',
  '    listen 8080;',
  '    location /ws/ {',
  '        proxy_pass http://app.internal:3000;',
  '        proxy_http_version 1.1;',
  '        proxy_set_header Upgrade $http_upgrade;',
  '        proxy_set_header Connection $connection_upgrade;',
  '        proxy_set_header Host $http_host;',
  '        proxy_set_header X-Real-IP $remote_addr;',
  '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  '        proxy_read_timeout 1h;',
  '    }',
  '}',
].join('\n');

describe.skipIf(!nginxPath)('each pitfall of a pasted config, named by the static check and confirmed by a run through real nginx', () => {
  let lab: Lab;
  let session: string;
  const pasted: NginxConfigResult[] = [];
  beforeAll(async () => {
    lab = await startNginxLab({ maxNginxConfigs: 2 });
    session = lab.store.createSession();
  });
  afterAll(() => lab?.close());

  CASES.forEach((c, i) => {
    it(`${c.id}${c.heartbeatMs ? ` (the app pings every ${c.heartbeatMs} ms)` : ''}: named on line ${c.line}, confirmed by the run`, async () => {
      const { status, result } = await paste(lab, { config: c.config, ...(c.heartbeatMs ? { heartbeatMs: c.heartbeatMs } : {}) });
      expect(status, JSON.stringify(result)).toBe(201);
      pasted[i] = result;
      // The static check names this pitfall alone, at its line.
      expect(result.pitfalls.map((p) => [p.id, p.line])).toEqual([[c.id, c.line]]);
      if (c.id === 'read-timeout') expect(result.run?.idleMs).toBeGreaterThanOrEqual(1000);
      expect(result.run?.plainRequest).toBe(c.id === 'connection-constant');

      const conn = `pitfall-${i}`;
      await runThrough(lab, result, { session, conn, ...c.run });
      const [judged] = await verdicts(lab, result.id!, session, conn, c.run?.plain);
      expect(judged).toMatchObject({ id: c.id, line: c.line, verdict: 'confirmed' });
      expect(judged!.evidence).toMatch(c.evidence);
      // The connection is filed like a preset's: route nginx, preset custom:<id>, both legs recorded.
      const connection = recorded(lab, session, conn);
      expect(connection).toMatchObject({ route: 'nginx', preset: `custom:${result.id}` });
      expect(new Set(connection.events.filter((e) => e.kind === 'request').map((e) => `${e.observer}:${e.from}->${e.to}`))).toEqual(new Set(['nginx:browser->nginx', 'echo:nginx->echo']));
    });
  });

  it('a run through the fixed config refutes each of them', async () => {
    const { status, result } = await paste(lab, { config: FIXED, heartbeatMs: 2000 });
    expect(status).toBe(201);
    expect(result.pitfalls).toEqual([]);
    await runThrough(lab, result, { session, conn: 'fixed', path: '/ws/', idleMs: 2000, plain: true });
    const connection = recorded(lab, session, 'fixed');
    const plain = recorded(lab, session, 'fixed-plain');
    const broken = pasted.flatMap((r, i) => (CASES[i]!.heartbeatMs ? [] : r.pitfalls));
    const judged = judgePitfalls(broken, { connection, plain });
    expect(judged.map((v) => [v.id, v.verdict])).toEqual(broken.map((p) => [p.id, 'refuted']));
    expect(judged.find((v) => v.id === 'read-timeout')?.evidence).toMatch(/^The tunnel was quiet for 2\.\d s, longer than the 1\.0 s of proxy_read_timeout, and nginx kept it open\.$/);
  });
});
