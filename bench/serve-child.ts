// A server of the benchmark in a process of its own (serve.ts), and reading a process's RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Served {
  port: number;
  pid: number;
  child: ChildProcess;
}

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

export function serve(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./serve.ts', import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { port, pid } = JSON.parse(line) as { port: number; pid: number };
      child.removeAllListeners('exit');
      resolve({ port, pid, child });
    });
  });
}

export function stopServed(): void {
  for (const c of children.splice(0)) c.kill();
}

export function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN);
}
