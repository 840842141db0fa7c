import { afterAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { LabInfo } from '../../src/api/types.ts';
import { nginxForTests } from '../nginx/helpers.ts';

// Ctrl-C used to cut every client with 1006, and a killed lab left nginx.conf and access.log
// (request lines with session ids) in the temp folder. Now every open WebSocket on every hop
// the lab owns gets a close frame 1001 (going away), nginx is stopped and its folder removed.

const nginxPath = nginxForTests();
const root = fileURLToPath(new URL('../../..', import.meta.url));
let child: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'lab-shutdown-'));
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start`'s process: the CLI, every port picked free. */
async function startCli(): Promise<LabInfo> {
  const args = ['--import', 'tsx', 'server/src/cli.ts', '--ephemeral', '--ui-port', '0', '--echo-port', '0', '--proxy-port', '0', '--forward-proxy-port', '0'];
  // Every TLS listener and forward-proxy preset too, on free ports, the certificate in a folder of the test's.
  args.push('--data-dir', dataDir, '--ui-tls-port', '0', '--echo-tls-port', '0', '--proxy-tls-port', '0', '--h2-port', '0', '--h2-no-connect-port', '0');
  for (const name of ['connect-443-only', 'tls-only', 'http-only']) args.push('--forward-proxy-preset', `${name}=0`);
  args.push(...(nginxPath === undefined ? ['--no-nginx'] : ['--nginx-port', '0', '--nginx', nginxPath]));
  child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const ui = await new Promise<string>((resolve, reject) => {
    child!.once('exit', (code) => reject(new Error(`the lab exited with ${code}`)));
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      const match = /^lab UI \+ API\s+(http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
  });
  return (await (await fetch(`${ui}api/info`)).json()) as LabInfo;
}

function tunnel(proxyPort: number, target: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(proxyPort, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', () => resolve(socket));
    socket.write(`CONNECT 127.0.0.1:${target} HTTP/1.1\r\nHost: 127.0.0.1:${target}\r\n\r\n`);
  });
}

/** Opens a WebSocket and resolves once open, with a promise of the close code it will see. */
async function open(url: string, socket?: Socket): Promise<{ closed: Promise<number> }> {
  const ws = new WebSocket(url, { perMessageDeflate: false, ...(socket ? { createConnection: () => socket } : {}) });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { closed };
}

it('Ctrl-C with 500 open sockets: every client sees 1001 within 2 s, no orphan nginx, no leftover folder', async () => {
  const info = await startCli();
  const { echo, proxy, nginx, forwardProxy } = info.ports;
  const urls: (() => Promise<{ closed: Promise<number> }>)[] = [];
  const routes = nginx === undefined ? { direct: 250, proxy: 175, nginx: 0, forward: 75 } : { direct: 200, proxy: 150, nginx: 100, forward: 50 };
  for (let i = 0; i < routes.direct; i++) urls.push(() => open(`ws://127.0.0.1:${echo}/echo?conn=d${i}`));
  for (let i = 0; i < routes.proxy; i++) urls.push(() => open(`ws://127.0.0.1:${proxy}/nginx-websocket/echo?conn=p${i}`));
  for (let i = 0; i < routes.nginx; i++) urls.push(() => open(`ws://127.0.0.1:${nginx}/nginx-websocket/echo?conn=n${i}`));
  for (let i = 0; i < routes.forward; i++) urls.push(async () => open(`ws://127.0.0.1:${echo}/echo?conn=f${i}`, await tunnel(forwardProxy!, echo)));
  const closes: Promise<number>[] = [];
  for (let i = 0; i < urls.length; i += 50) closes.push(...(await Promise.all(urls.slice(i, i + 50).map((u) => u()))).map((o) => o.closed));
  expect(closes).toHaveLength(500);

  const dir = readdirSync(tmpdir())
    .filter((name) => name.startsWith('ws-lab-nginx-'))
    .map((name) => join(tmpdir(), name))
    .find((d) => existsSync(join(d, 'lab.pid')) && readFileSync(join(d, 'lab.pid'), 'utf8').trim() === String(child!.pid));
  const nginxPid = dir === undefined ? undefined : Number(readFileSync(join(dir, 'nginx.pid'), 'utf8').trim());
  if (nginx !== undefined) expect(nginxPid && alive(nginxPid)).toBeTruthy();

  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child!.kill('SIGINT');
  const codes = await Promise.race([
    Promise.all(closes),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not every client saw its close within 2 s')), 2_000)),
  ]);
  const tally: Record<string, number> = {};
  for (const code of codes) tally[code] = (tally[code] ?? 0) + 1;
  expect(tally).toEqual({ 1001: 500 });

  expect(await exited).toBe(0);
  if (nginxPid !== undefined) expect(alive(nginxPid)).toBe(false);
  if (dir !== undefined) expect(existsSync(dir)).toBe(false);
}, 60_000);
