// Loaded with `NODE_OPTIONS=--import …/loop-probe.mjs` into the process `npm start` runs, so the
// benchmark measures the lab unchanged. In the process running server/src/cli.ts only: writes
// one JSON line to LAB_PROBE_FILE when loaded ({pid}), and on SIGUSR2 one line with the event
// loop's delay since the previous SIGUSR2 (max and p99, ms, from perf_hooks.monitorEventLoopDelay)
// the process's RSS and the CPU time it used (ms; a figure that contention on the machine does
// not bend the way it bends latencies), then starts over. With BENCH_LAB_PROFILE=<dir>, the lab is also CPU
// profiled, one profile per SIGUSR2 period (<dir>/<pid>-<n>.cpuprofile, open it in DevTools).
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.LAB_PROBE_FILE;
if (file && /server[\\/]src[\\/]cli\.ts$/.test(process.argv[1] ?? '')) {
  const delay = monitorEventLoopDelay({ resolution: 2 });
  delay.enable();
  appendFileSync(file, `${JSON.stringify({ pid: process.pid })}\n`);
  const dir = process.env.BENCH_LAB_PROFILE;
  let session;
  let n = 0;
  if (dir) {
    session = new Session();
    session.connect();
    session.post('Profiler.enable', () => session.post('Profiler.start'));
  }
  let cpu = process.cpuUsage();
  let since = performance.now();
  process.on('SIGUSR2', () => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const wallMs = performance.now() - since;
    since = performance.now();
    session?.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(`${dir}/${process.pid}-${++n}.cpuprofile`, JSON.stringify(result.profile));
      session.post('Profiler.start');
    });
    const line = { pid: process.pid, maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, rssMiB: process.memoryUsage.rss() / 1024 / 1024, cpuMs: (used.user + used.system) / 1000, wallMs };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    delay.reset();
  });
}
