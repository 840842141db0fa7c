import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { PortInfo } from '../../src/api/types.ts';

// Under the common `ulimit -n 1024`, 1,100 silent connections to the forward proxy used to take
// every descriptor: the API and the echo server stopped accepting until the client left, and
// nothing was logged. The lab keeps the student-facing listeners below the limit by a reserve,
// says so once, and the API and the echo server keep answering.

const CONNECTIONS = 1_100;
const root = fileURLToPath(new URL('../../..', import.meta.url));
let child: ChildProcess;
let ports: PortInfo;
const stderr: string[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  const script = fileURLToPath(new URL('../helpers/lab-child.ts', import.meta.url));
  const options = JSON.stringify({ proxyPort: 0, forwardProxyPort: 0 });
  child = spawn('bash', ['-c', `ulimit -n 1024 && exec "${process.execPath}" --import tsx "${script}" '${options}'`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  ports = await new Promise<PortInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the lab exited with ${code}: ${stderr.join('\n')}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { ports: PortInfo }).ports));
  });
}, 20_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

/** Opens a silent connection; resolves once it is connected (or refused) — never waits past 5 s. */
function silent(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => {});
    const timer = setTimeout(resolve, 5_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

it('1,100 silent connections under ulimit -n 1024 leave the API and the echo server answering, said once', async () => {
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < CONNECTIONS; i += 100) {
    if (Date.now() > deadline) throw new Error('opening the flood took over 30 s');
    await Promise.all(Array.from({ length: Math.min(100, CONNECTIONS - i) }, () => silent(ports.forwardProxy!)));
  }
  const held = sockets.filter((s) => !s.destroyed).length;
  expect(held).toBeLessThan(CONNECTIONS);

  const info = await fetch(`http://127.0.0.1:${ports.ui}/api/info`);
  expect(info.status).toBe(200);
  expect(((await info.json()) as { ports: PortInfo }).ports.echo).toBe(ports.echo);

  const echoed = await new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${ports.echo}/echo`);
    ws.on('error', reject);
    ws.once('open', () => ws.send('still here'));
    ws.once('message', (m) => {
      resolve(m.toString());
      ws.close();
    });
  });
  expect(echoed).toBe('still here');

  const said = stderr.filter((l) => l.includes('forward proxy: refusing new connections'));
  expect(said).toHaveLength(1);
  expect(said[0]).toContain('ulimit -n 1024');
}, 60_000);
