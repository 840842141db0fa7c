// `npm run bench`: the lab's speed and memory targets, measured side by side in one run.
// Scenarios are interleaved round by round so drift on the machine hits them all alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startNginx, type RunningNginx } from '../server/src/nginx/process.ts';
import { idle, pingPong, type LoadResult } from './load.ts';
import { uiBench } from './ui.ts';

const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const IDLE_CONNECTIONS = Number(process.env.BENCH_IDLE ?? 2000);
/** `ui` runs only the UI benchmark, `server` everything but it; unset, both. */
const ONLY = process.env.BENCH_ONLY;

interface Served {
  port: number;
  pid: number;
  child: ChildProcess;
}

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

function serve(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./serve.ts', import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { port, pid } = JSON.parse(line) as { port: number; pid: number };
      resolve({ port, pid, child });
    });
  });
}

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  if (ONLY !== 'ui') await serverBench();
  if (ONLY !== 'server') await uiBench();
}

async function serverBench(): Promise<void> {
  console.log(`WebSocket Upgrade Lab benchmark: ${CONNECTIONS} connections in ping-pong, ${ROUNDS} rounds × ${SECONDS} s per scenario, interleaved\n`);
  const bare = await serve('bare-echo');
  const labEcho = await serve('lab-echo');
  const proxyOn = await serve('proxy', String(bare.port), 'on');
  const proxyOff = await serve('proxy', String(bare.port), 'off');
  // Persistence side by side: the same echo server and limits, sessions kept on disk or in memory only.
  const dataDir = mkdtempSync(join(tmpdir(), 'lab-bench-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const echoDisk = await serve('lab-echo-disk', dataDir);
  const echoEphemeral = await serve('lab-echo-ephemeral');
  let nginx: RunningNginx | undefined;
  try {
    nginx = await startNginx({ listenPort: 0, upstreamPort: bare.port });
  } catch (err) {
    console.log(`real nginx is not running, so its rows are missing: ${(err as Error).message}\n`);
  }

  const scenarios: { name: string; url: string }[] = [
    { name: 'bare ws echo (no lab)', url: `ws://127.0.0.1:${bare.port}/` },
    { name: 'lab echo, capture on', url: `ws://127.0.0.1:${labEcho.port}/` },
    { name: 'bundled proxy, capture on', url: `ws://127.0.0.1:${proxyOn.port}/nginx-websocket/` },
    { name: 'bundled proxy, capture off', url: `ws://127.0.0.1:${proxyOff.port}/nginx-websocket/` },
    { name: 'lab echo, saved to disk', url: `ws://127.0.0.1:${echoDisk.port}/` },
    { name: 'lab echo, --ephemeral', url: `ws://127.0.0.1:${echoEphemeral.port}/` },
    ...(nginx ? [{ name: `nginx ${nginx.version}`, url: `ws://127.0.0.1:${nginx.port}/nginx-websocket/` }] : []),
  ];

  const byName = new Map<string, Map<number, LoadResult[]>>();
  for (const size of [64, 64 * 1024]) {
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no scenario always runs first.
      for (let i = 0; i < scenarios.length; i++) {
        const s = scenarios[(i + round) % scenarios.length]!;
        const result = await pingPong(s.url, CONNECTIONS, size, SECONDS);
        const sizes = byName.get(s.name) ?? new Map<number, LoadResult[]>();
        sizes.set(size, [...(sizes.get(size) ?? []), result]);
        byName.set(s.name, sizes);
        process.stderr.write('.');
      }
    }
  }
  process.stderr.write('\n');

  const summary = (name: string, size: number) => {
    const runs = byName.get(name)?.get(size) ?? [];
    return { perSecond: median(runs.map((r) => r.perSecond)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) };
  };
  for (const size of [64, 64 * 1024]) {
    console.log(`\n${size === 64 ? '64-byte' : '64 KiB'} messages (median of ${ROUNDS} rounds)`);
    console.log(`${'scenario'.padEnd(30)} ${'messages/s'.padStart(12)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
    for (const s of scenarios) {
      const r = summary(s.name, size);
      console.log(`${s.name.padEnd(30)} ${fmt(r.perSecond).padStart(12)} ${fmt(r.p50, 2).padStart(8)} ${fmt(r.p99, 2).padStart(8)}`);
    }
    const ratio = (a: string, b: string) => summary(a, size).perSecond / summary(b, size).perSecond;
    const line = (label: string, value: number, target: string, ok: boolean) =>
      console.log(`  ${label.padEnd(46)} ${fmt(value, 2)}×  (target ${target}) ${Number.isNaN(value) ? 'not measured' : ok ? 'met' : 'MISSED'}`);
    const capture = ratio('lab echo, capture on', 'bare ws echo (no lab)');
    line('lab echo with capture / bare ws', capture, '≥ 0.80', capture >= 0.8);
    const disk = ratio('lab echo, saved to disk', 'lab echo, --ephemeral');
    line('sessions saved to disk / --ephemeral', disk, '≥ 0.95', disk >= 0.95);
    if (nginx) {
      const on = ratio('bundled proxy, capture on', `nginx ${nginx.version}`);
      const off = ratio('bundled proxy, capture off', `nginx ${nginx.version}`);
      line('bundled proxy capture on / nginx', on, '≥ 0.90', on >= 0.9);
      line('bundled proxy capture off / nginx', off, '≥ 1.00', off >= 1.0);
    }
  }

  console.log(`\nRSS per idle proxied connection, ${IDLE_CONNECTIONS} connections`);
  // Fresh proxy processes: the throughput runs left garbage whose collection would shrink RSS mid-measurement.
  const idleOn = await serve('proxy', String(bare.port), 'on');
  const idleOff = await serve('proxy', String(bare.port), 'off');
  const targets: { name: string; pid: number; url: string }[] = [
    { name: 'bundled proxy, capture on', pid: idleOn.pid, url: `ws://127.0.0.1:${idleOn.port}/nginx-websocket/` },
    { name: 'bundled proxy, capture off', pid: idleOff.pid, url: `ws://127.0.0.1:${idleOff.port}/nginx-websocket/` },
    ...(nginx ? [{ name: `nginx ${nginx.version}`, pid: nginx.pid, url: `ws://127.0.0.1:${nginx.port}/nginx-websocket/` }] : []),
  ];
  const perConnection = new Map<string, number>();
  for (const t of targets) {
    const before = rssKiB(t.pid);
    try {
      const held = await idle(t.url, IDLE_CONNECTIONS);
      await new Promise((r) => setTimeout(r, 500));
      const after = rssKiB(t.pid);
      await held.close();
      const each = ((after - before) * 1024) / IDLE_CONNECTIONS;
      perConnection.set(t.name, each);
      console.log(`${t.name.padEnd(30)} ${fmt(before / 1024, 1).padStart(7)} MiB → ${fmt(after / 1024, 1).padStart(7)} MiB   ${fmt(each / 1024, 1)} KiB per connection`);
    } catch (err) {
      console.log(`${t.name.padEnd(30)} could not hold ${IDLE_CONNECTIONS} connections: ${(err as Error).message}`);
    }
  }
  if (nginx && perConnection.has(`nginx ${nginx.version}`)) {
    const n = perConnection.get(`nginx ${nginx.version}`)!;
    console.log(`  bundled proxy (capture on) / nginx, per connection: ${fmt((perConnection.get('bundled proxy, capture on') ?? NaN) / n, 1)}×`);
  }
  await nginx?.stop();
  children.forEach((c) => c.kill());
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`benchmark failed: ${err.message}`);
    process.exit(1);
  },
);
