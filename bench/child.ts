// Spawning the lab in its own process (lab-child.ts) and reading what it holds: RSS and descriptors.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { PortInfo } from '../server/src/api/types.ts';

export interface LabChild {
  ports: PortInfo;
  pid: number;
  child: ChildProcess;
  /** The longest the lab's event loop was blocked since the previous call (ms). */
  loopMax(): Promise<number>;
  stop(): Promise<void>;
}

export function startLabChild(options: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<LabChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./lab-child.ts', import.meta.url).pathname, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the lab exited with ${code}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const { ports, pid } = JSON.parse(line) as { ports: PortInfo; pid: number };
      child.removeAllListeners('exit');
      resolve({
        ports,
        pid,
        child,
        loopMax: () =>
          new Promise<number>((done) => {
            lines.once('line', (l) => done((JSON.parse(l) as { loopMaxMs: number }).loopMaxMs));
            child.kill('SIGUSR2');
          }),
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
