// `npm run soak`: hours of classroom use in minutes, against `npm start`'s layout in its own
// process. 10,000 connect/echo/close cycles on each route, then 200 sessions × 5 connections
// each with a live stream open; descriptors, RSS and p99 of a cycle before and after. A lab
// that leaks shows it here: descriptors or RSS that do not come back.
// SOAK_CYCLES and SOAK_SESSIONS shorten it. Not part of `npm test`.
import { connect, type Socket } from 'node:net';
import { request, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { fmt, openFds, rssMiB, startLabChild, type LabChild } from './child.ts';
import { post } from './http.ts';

const CYCLES = Number(process.env.SOAK_CYCLES ?? 10_000);
const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 200);
const PER_SESSION = 5;
const WIDTH = 20;

type Route = 'direct' | 'reverse proxy' | 'nginx' | 'forward proxy';

function tunnel(lab: LabChild, target: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(lab.ports.forwardProxy!, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', () => resolve(socket));
    socket.write(`CONNECT 127.0.0.1:${target} HTTP/1.1\r\nHost: 127.0.0.1:${target}\r\n\r\n`);
  });
}

function url(lab: LabChild, route: Route, query: string): string {
  switch (route) {
    case 'direct':
    case 'forward proxy':
      return `ws://127.0.0.1:${lab.ports.echo}/echo?${query}`;
    case 'reverse proxy':
      return `ws://127.0.0.1:${lab.ports.proxy}/nginx-websocket/echo?${query}`;
    case 'nginx':
      return `ws://127.0.0.1:${lab.ports.nginx}/nginx-websocket/echo?${query}`;
  }
}

/** One cycle: open, echo one message, close cleanly. Resolves with how long it took (ms). */
async function cycle(lab: LabChild, route: Route, query: string): Promise<number> {
  const started = performance.now();
  const socket = route === 'forward proxy' ? await tunnel(lab, lab.ports.echo) : undefined;
  await new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(url(lab, route, query), { perMessageDeflate: false, ...(socket ? { createConnection: () => socket } : {}) });
    ws.on('error', reject);
    ws.once('open', () => ws.send('soak'));
    ws.once('message', () => ws.close(1000));
    ws.once('close', () => resolve());
  });
  return performance.now() - started;
}

async function cycles(lab: LabChild, route: Route, count: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: WIDTH }, async () => {
      while (next < count) {
        const i = next++;
        times.push(await cycle(lab, route, `conn=soak-${i}`));
      }
    }),
  );
  return times;
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? NaN;

function liveStream(lab: LabChild, session: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request({ host: '127.0.0.1', port: lab.ports.ui, path: `/api/sessions/${session}/live` }, resolve).on('error', reject).end());
}

async function sessions(lab: LabChild): Promise<number[]> {
  const times: number[] = [];
  const streams: IncomingMessage[] = [];
  for (let s = 0; s < SESSIONS; s += WIDTH) {
    await Promise.all(
      Array.from({ length: Math.min(WIDTH, SESSIONS - s) }, async () => {
        const { id } = JSON.parse(await post(lab.ports.ui, '/api/sessions')) as { id: string };
        const stream = await liveStream(lab, id);
        stream.resume();
        streams.push(stream);
        for (let c = 0; c < PER_SESSION; c++) times.push(await cycle(lab, 'direct', `lab=${id}&conn=c${c}`));
      }),
    );
  }
  for (const stream of streams) stream.destroy();
  return times;
}

async function settle(lab: LabChild): Promise<void> {
  // Closed sockets leave the process a moment later; give them that moment.
  await new Promise((r) => setTimeout(r, 1500));
  void lab;
}

async function main(): Promise<void> {
  const lab = await startLabChild({ proxyPort: 0, nginxPort: 0, forwardProxyPort: 0 });
  const routes: Route[] = ['direct', 'reverse proxy', ...(lab.ports.nginx === undefined ? [] : ['nginx' as const]), 'forward proxy'];
  console.log(`Soak: ${fmt(CYCLES)} connect/echo/close cycles on each of ${routes.join(', ')}; then ${SESSIONS} sessions × ${PER_SESSION} connections with live streams\n`);
  const warm = await cycles(lab, 'direct', 200);
  await settle(lab);
  const before = { fds: openFds(lab.pid), rss: rssMiB(lab.pid), p99: p99(warm) };
  console.log(`before            fds ${before.fds}   RSS ${fmt(before.rss)} MiB   p99 ${fmt(before.p99, 1)} ms (200 warm-up cycles)`);
  for (const route of routes) {
    const started = performance.now();
    const times = await cycles(lab, route, CYCLES);
    console.log(`${route.padEnd(17)} ${fmt(times.length)} cycles in ${fmt((performance.now() - started) / 1000, 1)} s   p99 ${fmt(p99(times), 1)} ms   fds ${openFds(lab.pid)}   RSS ${fmt(rssMiB(lab.pid))} MiB`);
  }
  const started = performance.now();
  const times = await sessions(lab);
  console.log(`sessions          ${SESSIONS} × ${PER_SESSION} in ${fmt((performance.now() - started) / 1000, 1)} s   p99 ${fmt(p99(times), 1)} ms`);
  await settle(lab);
  const last = await cycles(lab, 'direct', 200);
  await settle(lab);
  const after = { fds: openFds(lab.pid), rss: rssMiB(lab.pid), p99: p99(last) };
  console.log(`after             fds ${after.fds}   RSS ${fmt(after.rss)} MiB   p99 ${fmt(after.p99, 1)} ms (200 cycles)`);
  console.log(`\nDescriptors ${after.fds <= before.fds ? 'came back' : `grew by ${after.fds - before.fds}`}; RSS ${fmt(after.rss - before.rss, 0)} MiB from start (captures are kept: at most --capture-budget).`);
  await lab.stop();
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
