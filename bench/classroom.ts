// A classroom on the shipped layout: BENCH_CLASSROOM_SESSIONS sessions (200), each with its live
// stream open and 5 direct connections that each echo BENCH_CLASSROOM_MESSAGES messages (100)
// of 64 bytes, a student's pause (BENCH_CLASSROOM_GAP_MS, 100 ms) after each echo. Bounded:
// whatever has not finished after BENCH_CLASSROOM_SECONDS (60) is counted as unfinished.
import { request, type IncomingMessage } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { post } from './http.ts';
import { fmt, loopLine, quantile, target } from './report.ts';
import type { ShippedLab } from './shipped.ts';

const SESSIONS = Number(process.env.BENCH_CLASSROOM_SESSIONS ?? 200);
const PER_SESSION = 5;
const MESSAGES = Number(process.env.BENCH_CLASSROOM_MESSAGES ?? 100);
const GAP_MS = Number(process.env.BENCH_CLASSROOM_GAP_MS ?? 100);
const LIMIT_S = Number(process.env.BENCH_CLASSROOM_SECONDS ?? 60);

function liveStream(port: number, session: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request({ host: '127.0.0.1', port, path: `/api/sessions/${session}/live` }, resolve).on('error', reject).end());
}

/** One student's connection: MESSAGES round trips with a pause after each; resolves with the RTTs. */
function student(url: string, until: number): Promise<{ rtts: number[]; finished: boolean }> {
  return new Promise((resolve) => {
    const rtts: number[] = [];
    const payload = Buffer.alloc(64, 0x61);
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let sent = 0;
    const done = (finished: boolean) => {
      ws.terminate();
      resolve({ rtts, finished });
    };
    ws.on('error', () => done(false));
    ws.once('open', () => {
      sent = performance.now();
      ws.send(payload);
    });
    ws.on('message', () => {
      rtts.push(performance.now() - sent);
      if (rtts.length >= MESSAGES) return done(true);
      if (performance.now() > until) return done(false);
      setTimeout(() => {
        sent = performance.now();
        ws.send(payload);
      }, GAP_MS * (0.5 + Math.random()));
    });
  });
}

export async function classroom(lab: ShippedLab): Promise<void> {
  console.log(
    `\n== Classroom on the shipped layout: ${SESSIONS} sessions × ${PER_SESSION} direct connections × ${MESSAGES} messages of 64 B ` +
      `(a ${GAP_MS} ms pause after each echo), a live stream per session; at most ${LIMIT_S} s`,
  );
  const before = await lab.loop();
  const streams: IncomingMessage[] = [];
  let liveBytes = 0;
  let liveDropped = 0;
  const ids: string[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const { id } = JSON.parse(await post(lab.ports.ui, '/api/sessions')) as { id: string };
    const stream = await liveStream(lab.ports.ui, id);
    stream.on('data', (c: Buffer) => {
      liveBytes += c.length;
      // Decoded only when it says something was skipped: the load generator shares the cores.
      if (c.indexOf('event: dropped') < 0) return;
      for (const m of c.toString().matchAll(/event: dropped\ndata: \{"events":(\d+)/g)) liveDropped += Number(m[1]);
    });
    streams.push(stream);
    ids.push(id);
  }
  const own = monitorEventLoopDelay({ resolution: 2 });
  own.enable();
  await lab.loop();
  const started = performance.now();
  const until = started + LIMIT_S * 1000;
  // Students join over the first second, as a class does.
  const results = await Promise.all(
    ids.flatMap((id, s) =>
      Array.from({ length: PER_SESSION }, (_, c) =>
        new Promise((r) => setTimeout(r, ((s * PER_SESSION + c) / (SESSIONS * PER_SESSION)) * 1000)).then(() =>
          student(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${id}&conn=c${c}`, until),
        ),
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  own.disable();
  const loop = await lab.loop();
  for (const stream of streams) stream.destroy();
  const rtts = results.flatMap((r) => r.rtts).sort((a, b) => a - b);
  const unfinished = results.filter((r) => !r.finished).length;
  console.log(
    `  ${fmt(rtts.length)} round trips in ${fmt(seconds, 1)} s (${fmt(rtts.length / seconds)}/s); ${unfinished} of ${results.length} connections unfinished; ` +
      `RTT p50 ${fmt(quantile(rtts, 0.5), 1)} ms, p99 ${fmt(quantile(rtts, 0.99), 1)} ms, max ${fmt(rtts.at(-1) ?? NaN, 1)} ms`,
  );
  console.log(`  live streams received ${fmt(liveBytes / 1024 / 1024, 1)} MiB; events skipped for readers behind: ${fmt(liveDropped)}`);
  console.log(`  lab RSS ${fmt(before.rssMiB)} MiB before, ${fmt(loop.rssMiB)} MiB after; lab CPU ${fmt((loop.cpuMs * 1000) / Math.max(1, rtts.length), 0)} µs per round trip; the load generator's own loop max ${fmt(own.max / 1e6, 1)} ms`);
  target('classroom direct RTT p99', quantile(rtts, 0.99), '≤', 50, 'ms', 1);
  loopLine('the classroom', loop);
}
