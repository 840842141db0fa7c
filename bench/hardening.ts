// `npm run bench:hardening`: the figures behind "safe to run in a classroom", each on a lab in a
// process of its own (LAB_ROOT=<tree> measures another revision the same way):
//   1. 100 MB of non-HTTP bytes through a CONNECT tunnel: time, per-10 MB pace, peak RSS;
//   2. ten sessions each echoing 40 compressed 1 MB messages: RSS after each session;
//   3. reading a transcript at the session limits while another socket ping-pongs: the lab's
//      longest event-loop block during the read, the worst round trip (what every tunnel feels).
// Not a test: it prints figures. HARDENING_MB shortens step 1; HARDENING_ONLY=2 runs one step.
import { connect, createServer, type AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { fmt, rssMiB, startLabChild } from './child.ts';
import { post, readTranscript } from './http.ts';

const TUNNEL_MB = Number(process.env.HARDENING_MB ?? 100);

async function tunnelNonHttp(): Promise<void> {
  let received = 0;
  const sink = createServer((s) => {
    s.on('error', () => {});
    s.on('data', (c: Buffer) => (received += c.length));
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkPort = (sink.address() as AddressInfo).port;
  const lab = await startLabChild({ forwardProxyPort: 0, forwardProxyAllow: [`127.0.0.1:${sinkPort}`] });
  const rssBefore = rssMiB(lab.pid);
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(lab.pid))), 100);
  const socket = connect(lab.ports.forwardProxy!, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write(`CONNECT 127.0.0.1:${sinkPort} HTTP/1.1\r\nHost: 127.0.0.1:${sinkPort}\r\n\r\n`);
  });
  // A TLS record header first, then bytes that never contain a blank line: what wss:// sends.
  const chunk = Buffer.alloc(64 * 1024, 0x17);
  chunk[0] = 0x16;
  const total = TUNNEL_MB * 1024 * 1024;
  const started = performance.now();
  const pace: number[] = [];
  let mark = started;
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
    if ((sent + chunk.length) % (10 * 1024 * 1024) === 0) {
      const now = performance.now();
      pace.push(now - mark);
      mark = now;
    }
  }
  while (received < total) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  socket.destroy();
  console.log(`1. ${TUNNEL_MB} MB of non-HTTP bytes through a CONNECT tunnel: ${fmt(seconds, 1)} s; RSS ${fmt(rssBefore)} → peak ${fmt(peak)} MiB`);
  console.log(`   ms per 10 MB, first to last: ${pace.map((p) => fmt(p)).join(' ')}`);
  await lab.stop();
  sink.close();
}

function open(url: string, deflate: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: deflate, maxPayload: 256 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

async function echoEach(ws: WebSocket, messages: Buffer[]): Promise<void> {
  for (const m of messages) {
    const back = new Promise((r) => ws.once('message', r));
    ws.send(m);
    await back;
  }
}

async function compressedSessions(): Promise<void> {
  const lab = await startLabChild({});
  const line: string[] = [fmt(rssMiB(lab.pid))];
  const zeros = Buffer.alloc(1024 * 1024);
  for (let s = 0; s < 10; s++) {
    const { id } = JSON.parse(await post(lab.ports.ui, '/api/sessions')) as { id: string };
    const ws = await open(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${id}&conn=c&deflate=on`, true);
    await echoEach(ws, Array.from({ length: 40 }, () => zeros));
    ws.close();
    line.push(fmt(rssMiB(lab.pid)));
  }
  console.log(`2. ten sessions × 40 compressed 1 MB messages: RSS MiB, start then after each session: ${line.join(' → ')}`);
  await lab.stop();
}

async function transcriptRead(): Promise<void> {
  const lab = await startLabChild({});
  const { id } = JSON.parse(await post(lab.ports.ui, '/api/sessions')) as { id: string };
  const filler = await open(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${id}&conn=fill`, false);
  const block = Buffer.alloc(64 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 7919) & 0xff;
  await echoEach(filler, Array.from({ length: 600 }, () => block));
  filler.close();
  const pinger = await open(`ws://127.0.0.1:${lab.ports.echo}/echo?conn=ping`, false);
  let worst = 0;
  let reading = true;
  const ping = async () => {
    while (reading) {
      const sent = performance.now();
      await echoEach(pinger, [Buffer.from('ping')]);
      worst = Math.max(worst, performance.now() - sent);
    }
  };
  await lab.loopMax();
  const pinging = ping();
  const started = performance.now();
  const bytes = await readTranscript(lab.ports.ui, id);
  const seconds = (performance.now() - started) / 1000;
  const blocked = await lab.loopMax();
  reading = false;
  await pinging;
  pinger.close();
  console.log(
    `3. one transcript at the session limits (${fmt(bytes / 1024 / 1024)} MB of JSON) read in ${fmt(seconds, 2)} s; ` +
      `the lab's event loop blocked at most ${fmt(blocked)} ms; worst echo round trip meanwhile ${fmt(worst)} ms`,
  );
  await lab.stop();
}

async function main(): Promise<void> {
  console.log(`Hardening figures for ${process.env.LAB_ROOT ?? 'this tree'}\n`);
  const only = process.env.HARDENING_ONLY;
  if (!only || only === '1') await tunnelNonHttp();
  if (!only || only === '2') await compressedSessions();
  if (!only || only === '3') await transcriptRead();
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
