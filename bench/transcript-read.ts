// Reading a whole transcript while another connection ping-pongs, on the shipped layout: a
// session filled with BENCH_READ_EVENTS events (100,000) of 512-byte messages, read through
// the API as the UI's export does; the lab's longest event-loop block and the worst round trip.
import WebSocket from 'ws';
import { post, readTranscript } from './http.ts';
import { fmt, loopLine, target } from './report.ts';
import type { ShippedLab } from './shipped.ts';

const EVENTS = Number(process.env.BENCH_READ_EVENTS ?? 100_000);

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

/** Sends `count` messages, at most `window` unanswered; resolves when every echo is back. */
function fill(ws: WebSocket, count: number, payload: Buffer, window = 256): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    const pump = () => {
      while (sent < count && sent - received < window) (sent++, ws.send(payload));
    };
    ws.on('message', () => {
      received += 1;
      if (received === count) resolve();
      else pump();
    });
    pump();
  });
}

export async function transcriptRead(lab: ShippedLab): Promise<void> {
  console.log(`\n== Reading a transcript of ${fmt(EVENTS)} events on the shipped layout while another connection ping-pongs`);
  const { id } = JSON.parse(await post(lab.ports.ui, '/api/sessions')) as { id: string };
  const filler = await open(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${id}&conn=fill`);
  const payload = Buffer.alloc(512);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7919) & 0xff;
  await fill(filler, Math.ceil(EVENTS / 2), payload);
  filler.close();
  const pinger = await open(`ws://127.0.0.1:${lab.ports.echo}/echo?conn=read-ping`);
  let worst = 0;
  let reading = true;
  const pinging = (async () => {
    while (reading) {
      const sent = performance.now();
      await new Promise((r) => (pinger.once('message', r), pinger.send('ping')));
      worst = Math.max(worst, performance.now() - sent);
    }
  })();
  await lab.loop();
  const started = performance.now();
  const bytes = await readTranscript(lab.ports.ui, id);
  const seconds = (performance.now() - started) / 1000;
  const loop = await lab.loop();
  reading = false;
  await pinging;
  pinger.close();
  console.log(`  ${fmt(bytes / 1024 / 1024, 1)} MiB of JSON in ${fmt(seconds, 2)} s; worst echo round trip meanwhile ${fmt(worst, 1)} ms`);
  target('worst echo round trip during the read', worst, '≤', 50, 'ms', 1);
  loopLine('the transcript read', loop);
}
