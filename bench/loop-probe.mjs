// Loaded with `NODE_OPTIONS=--import …/loop-probe.mjs` into the process `npm start` runs, so the
// benchmark measures the lab unchanged. In the process running server/src/cli.ts only: writes
// one JSON line to LAB_PROBE_FILE when loaded ({pid}), and on SIGUSR2 one line with the event
// loop's delay since the previous SIGUSR2 (max and p99, ms, from perf_hooks.monitorEventLoopDelay)
// and the process's RSS, then starts over.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.LAB_PROBE_FILE;
if (file && /server[\\/]src[\\/]cli\.ts$/.test(process.argv[1] ?? '')) {
  const delay = monitorEventLoopDelay({ resolution: 2 });
  delay.enable();
  appendFileSync(file, `${JSON.stringify({ pid: process.pid })}\n`);
  process.on('SIGUSR2', () => {
    const line = { pid: process.pid, maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, rssMiB: process.memoryUsage.rss() / 1024 / 1024 };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    delay.reset();
  });
}
