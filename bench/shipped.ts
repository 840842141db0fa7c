// The lab started exactly as `npm start` starts it (scripts/start.mjs → server/src/cli.ts, one
// process holding the UI, API, echo server, both proxies and the nginx tap), every port 0.
// bench/loop-probe.mjs rides along through NODE_OPTIONS to report the event loop's delay.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { get } from 'node:http';
import type { LabInfo, PortInfo } from '../server/src/api/types.ts';

export interface LoopFigures {
  maxMs: number;
  p99Ms: number;
  rssMiB: number;
  /** CPU time the lab used (user + system), ms. */
  cpuMs: number;
  /** Wall time the figures cover, ms. */
  wallMs: number;
}

export interface ShippedLab {
  ports: PortInfo;
  /** The process running the lab (start.mjs's child). */
  pid: number;
  /** The event loop's delay since the previous call, and RSS now. */
  loop(): Promise<LoopFigures>;
  stop(): Promise<void>;
}

/** LAB_ROOT=<tree>: start another checkout's lab the same way (a before/after with this benchmark). */
const root = process.env.LAB_ROOT ?? new URL('..', import.meta.url).pathname;

function getJson<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(JSON.parse(text) as T));
    }).on('error', reject);
  });
}

export async function startShipped(extraArgs: string[] = []): Promise<ShippedLab> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-bench-'));
  const file = join(dir, 'probe.jsonl');
  const probe = new URL('./loop-probe.mjs', import.meta.url).href;
  // As `npm start` runs: sessions kept on disk (in a folder of the bench's), every TLS listener and forward-proxy preset on.
  const args = ['--ui-port', '0', '--echo-port', '0', '--proxy-port', '0', '--nginx-port', '0', '--forward-proxy-port', '0', '--data-dir', dir];
  args.push('--ui-tls-port', '0', '--echo-tls-port', '0', '--proxy-tls-port', '0', '--h2-port', '0', '--h2-no-connect-port', '0');
  for (const name of ['connect-443-only', 'tls-only', 'http-only']) args.push('--forward-proxy-preset', `${name}=0`);
  args.push(...extraArgs);
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LAB_PROBE_FILE: file, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${probe}`.trim() },
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const uiUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^lab UI \+ API\s+(http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
  });
  child.removeAllListeners('exit');
  const info = await getJson<LabInfo>(`${uiUrl}api/info`);
  const lines = () => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Partial<LoopFigures> & { pid: number });
  const pid = lines()[0]!.pid;
  let read = 1;
  return {
    ports: info.ports,
    pid,
    loop: async () => {
      process.kill(pid, 'SIGUSR2');
      for (;;) {
        await new Promise((r) => setTimeout(r, 20));
        const all = lines();
        if (all.length > read) {
          read = all.length;
          return all.at(-1) as LoopFigures;
        }
      }
    },
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
