// The lab in a process of its own, for measurements that read its RSS and descriptors.
// `LAB_ROOT` picks the source tree (to measure another revision side by side); argv[2] is
// JSON merged into startLab's options. Prints one JSON line {ports, pid} once listening, and
// on SIGUSR2 one line {loopMaxMs}: the longest event-loop block since the previous one.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const root = process.env.LAB_ROOT ?? new URL('..', import.meta.url).pathname;
const { startLab } = (await import(pathToFileURL(`${root}/server/src/lab.ts`).href)) as typeof import('../server/src/lab.ts');
const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, ...options });
console.log(JSON.stringify({ ports: lab.ports, pid: process.pid }));
// SIGUSR2 prints the longest the event loop was blocked since the last SIGUSR2 (ms), and starts over.
const delay = monitorEventLoopDelay({ resolution: 2 });
delay.enable();
process.on('SIGUSR2', () => {
  console.log(JSON.stringify({ loopMaxMs: delay.max / 1e6 }));
  delay.reset();
});
const stop = () => void lab.close({ graceMs: 500 }).finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
