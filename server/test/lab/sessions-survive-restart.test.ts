import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SessionCreated } from '../../src/api/types.ts';
import type { Transcript } from '../../src/transcript/types.ts';

// The lab as `npm start` runs it (server/src/cli.ts), stopped and started again on one data dir.

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;
let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lab-restart-'));
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  ui: number;
  echo: number;
  output: string[];
}

async function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--ui-port', '0', '--echo-port', '0', '--proxy-port', '0', '--forward-proxy-port', '0', '--no-nginx', '--no-tls', '--no-forward-proxy-presets', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const output: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    let ui = 0;
    let echo = 0;
    child.once('exit', (code) => reject(new Error(`the lab exited with ${code}: ${output.join('\n')}`)));
    lines.on('line', (line) => {
      output.push(line);
      ui ||= Number(/^lab UI \+ API\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(line)?.[1] ?? 0);
      echo ||= Number(/^echo server\s+ws:\/\/127\.0\.0\.1:(\d+)\//.exec(line)?.[1] ?? 0);
      if (line.startsWith('Open http')) resolve({ child, ui, echo, output });
    });
  });
}

async function stop(lab: Running, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((resolve) => lab.child.once('exit', resolve));
  lab.child.kill(signal);
  await exited;
}

async function recordExchange(lab: Running): Promise<string> {
  const headers = { 'content-type': 'application/json' };
  const { id } = (await (await fetch(`http://127.0.0.1:${lab.ui}/api/sessions`, { method: 'POST', body: '{}', headers })).json()) as SessionCreated;
  const ws = new WebSocket(`ws://127.0.0.1:${lab.echo}/echo?lab=${id}&conn=c1`);
  ws.on('error', () => {});
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send('kept across a restart');
  await new Promise((resolve) => ws.once('message', resolve));
  // Left open: the restart ends it.
  return id;
}

const transcript = async (lab: Running, id: string) => {
  const res = await fetch(`http://127.0.0.1:${lab.ui}/api/sessions/${id}/transcript`);
  expect(res.status).toBe(200);
  return (await res.json()) as Transcript;
};

describe('sessions survive a restart', () => {
  it('after Ctrl-C: the session is there, with the 1001 the lab sent, and its connection read-only', async () => {
    const first = await startCli(['--data-dir', dir]);
    expect(first.output).toContain(`Sessions are kept in ${join(dir, 'sessions.sqlite')} (0 read back; --ephemeral keeps none).`);
    const id = await recordExchange(first);
    await stop(first, 'SIGINT');

    const second = await startCli(['--data-dir', dir]);
    expect(second.output.some((l) => /^Sessions are kept in .*\(2 read back;/.test(l))).toBe(true);
    const back = await transcript(second, id);
    const [c1] = back.connections;
    expect(c1!.restoredAt).toBeDefined();
    const texts = c1!.events.filter((e) => e.kind === 'frame' && e.opcode === 1).map((e) => Buffer.from((e as { payload: string }).payload, 'base64').toString());
    expect(texts).toEqual(['kept across a restart', 'kept across a restart']);
    expect(c1!.events.some((e) => e.kind === 'frame' && e.opcode === 8 && e.close?.code === 1001)).toBe(true);
    const action = await fetch(`http://127.0.0.1:${second.ui}/api/sessions/${id}/connections/c1/actions`, { method: 'POST', body: '{"action":"ping"}', headers: { 'content-type': 'application/json' } });
    expect(action.status).toBe(409);
    expect(((await action.json()) as { error: string }).error).toMatch(/recorded before the lab restarted/);
    await stop(second, 'SIGTERM');
  });

  it('after a crash (SIGKILL): what was written before it is there', async () => {
    const first = await startCli(['--data-dir', dir]);
    const id = await recordExchange(first);
    // The journal writes every 200 ms.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await stop(first, 'SIGKILL');
    const second = await startCli(['--data-dir', dir]);
    expect((await transcript(second, id)).connections[0]!.events.filter((e) => e.kind === 'frame')).toHaveLength(2);
    await stop(second, 'SIGTERM');
  });

  it('--ephemeral keeps nothing; the default folder is under XDG_CACHE_HOME', async () => {
    const env = { XDG_CACHE_HOME: dir };
    const ephemeral = await startCli(['--ephemeral'], env);
    expect(ephemeral.output).toContain('Sessions are kept in memory only (--ephemeral): they end with the lab.');
    await recordExchange(ephemeral);
    await stop(ephemeral, 'SIGTERM');
    expect(existsSync(join(dir, 'websocket-upgrade-lab'))).toBe(false);

    const kept = await startCli([], env);
    expect(kept.output).toContain(`Sessions are kept in ${join(dir, 'websocket-upgrade-lab', 'sessions.sqlite')} (0 read back; --ephemeral keeps none).`);
    await stop(kept, 'SIGTERM');
  });
});
