// `npm run bench`: the lab's speed and memory targets, measured side by side in one run, on the
// layout `npm start` runs (one process) with real nginx in front of the same echo server.
// Parts, each also alone with BENCH_ONLY=<part>[,<part>…] (`server` is every part but `ui`):
//   shipped    throughput and p50/p99 at 64 B and 64 KiB, then RSS per idle proxied connection
//   classroom  200 sessions × 5 connections × 100 messages, a live stream each
//   read       a whole transcript read while a tunnel ping-pongs
//   separate   each server in a process of its own (the earlier layout, for comparison)
//   disk       sessions saved to disk against --ephemeral, the same echo server side by side
//   ui         the UI in Chromium under a live flood (bench/ui.ts)
// BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_SIZES (bytes, comma-separated), BENCH_IDLE and the BENCH_CLASSROOM_* and
// BENCH_READ_EVENTS variables shorten it. Prints each target met or missed, and by how much.
import { availableParallelism, loadavg } from 'node:os';
import { startNginx, type RunningNginx } from '../server/src/nginx/process.ts';
import { classroom } from './classroom.ts';
import { fmt, summary } from './report.ts';
import { persistence } from './persistence.ts';
import { separateLayout } from './separate.ts';
import { serve, stopServed } from './serve-child.ts';
import { startShipped } from './shipped.ts';
import { shippedIdle, shippedThroughput } from './shipped-part.ts';
import { transcriptRead } from './transcript-read.ts';
import { uiBench } from './ui.ts';

const options = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  seconds: Number(process.env.BENCH_SECONDS ?? 2),
};
const IDLE = Number(process.env.BENCH_IDLE ?? 2000);
const SIZES = (process.env.BENCH_SIZES ?? '64,65536').split(',').map(Number);
const ALL = ['shipped', 'classroom', 'read', 'separate', 'disk', 'ui'];
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const parts = new Set(only.length === 0 ? ALL : only.flatMap((p) => (p === 'server' ? ALL.filter((a) => a !== 'ui') : [p])));

async function nginxBeside(echoPort: number): Promise<RunningNginx | undefined> {
  try {
    return await startNginx({ listenPort: 0, upstreamPort: echoPort });
  } catch (err) {
    console.log(`real nginx is not running, so its rows are missing: ${(err as Error).message}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  console.log(`WebSocket Upgrade Lab benchmark on ${availableParallelism()} cores (Node ${process.version}); parts: ${[...parts].join(', ')}`);
  if (parts.has('shipped')) {
    const bare = await serve('bare-echo');
    const lab = await startShipped();
    const nginx = await nginxBeside(lab.ports.echo);
    const apart = await serve('proxy', String(lab.ports.echo), 'on');
    console.log(`The lab (pid ${lab.pid}) started as \`npm start\` does: RSS ${fmt((await lab.loop()).rssMiB)} MiB`);
    // The floor every later loop figure stands on: the lab doing nothing, on this machine, now.
    await new Promise((r) => setTimeout(r, 3000));
    const quiet = await lab.loop();
    console.log(
      `The idle lab's event loop over 3 s: max ${fmt(quiet.maxMs, 1)} ms, p99 ${fmt(quiet.p99Ms, 1)} ms ` +
        `(machine load average ${fmt(loadavg()[0]!, 1)}: what the machine alone adds to every loop figure below)`,
    );
    await shippedThroughput(lab, bare, apart, nginx, options, SIZES);
    await nginx?.stop();
    await lab.stop();
    stopServed();
    // A fresh lab: the throughput runs left garbage whose collection would shrink RSS mid-measurement.
    if (IDLE > 0) {
      const idleLab = await startShipped();
      const idleNginx = await nginxBeside(idleLab.ports.echo);
      await shippedIdle(idleLab, idleNginx, IDLE);
      await idleNginx?.stop();
      await idleLab.stop();
    }
  }
  if (parts.has('classroom')) {
    const lab = await startShipped();
    await classroom(lab);
    await lab.stop();
  }
  if (parts.has('read')) {
    const lab = await startShipped();
    await transcriptRead(lab);
    await lab.stop();
  }
  if (parts.has('separate')) {
    await separateLayout(options, SIZES, IDLE);
    stopServed();
  }
  if (parts.has('disk')) {
    await persistence(options, SIZES);
    stopServed();
  }
  if (parts.has('ui')) await uiBench();
  summary();
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`benchmark failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
