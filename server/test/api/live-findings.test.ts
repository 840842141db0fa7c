import { afterAll, beforeAll, expect, it } from 'vitest';
import { request, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { readLive } from '../helpers/live.ts';
import { startLab, type Lab } from '../../src/lab.ts';
import type { LiveCounts, LiveFindings } from '../../src/api/types.ts';
import type { Transcript } from '../../src/transcript/types.ts';
import { eventually } from '../helpers/net.ts';

// The page learns findings and dropped counts from the live stream, as the lab recomputes them
// per connection: never by refetching the transcript. What the stream last said for a
// connection is what a transcript read says.

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, limits: { maxEvents: 40 } });
});
afterAll(() => lab.close());

interface Stream {
  findings: LiveFindings[];
  counts: LiveCounts[];
  res: IncomingMessage;
}

async function live(session: string): Promise<Stream> {
  const stream: Omit<Stream, 'res'> = { findings: [], counts: [] };
  const res = await readLive(`http://127.0.0.1:${lab.ports.ui}/api/sessions/${session}/live`, (event, data) => {
    if (event === 'findings') stream.findings.push(data as LiveFindings);
    if (event === 'counts') stream.counts.push(data as LiveCounts);
  });
  return { ...stream, res };
}

function transcript(session: string): Promise<Transcript> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: lab.ports.ui, path: `/api/sessions/${session}/transcript` }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(JSON.parse(text) as Transcript));
    })
      .on('error', reject)
      .end();
  });
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => reject(new Error('not upgraded')));
  });
}

it('sends a connection its findings as they change, ending where a transcript read ends', async () => {
  const session = lab.store.createSession();
  const stream = await live(session);
  const ws = await open(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&conn=masked&fault=masked-frame`);
  ws.send('hello');
  await new Promise((r) => ws.once('close', r));
  const last = await eventually(() => {
    const found = stream.findings.filter((f) => f.connection === 'masked').at(-1);
    if (!found?.findings.some((f) => f.rule === 'server-masked-frame')) throw new Error('no finding yet');
    return found;
  }, 5000);
  // Let anything still settling arrive, then compare with what a read computes.
  await new Promise((r) => setTimeout(r, 300));
  const latest = stream.findings.filter((f) => f.connection === 'masked').at(-1)!;
  const read = (await transcript(session)).connections.find((c) => c.id === 'masked')!;
  expect(latest.findings).toEqual(read.findings);
  expect(latest.upTo).toBe(read.events.at(-1)!.seq);
  expect(last.upTo).toBeGreaterThan(0);
  stream.res.destroy();
}, 20_000);

it('says once per change, not once per frame, and sends dropped counts as they grow', async () => {
  const session = lab.store.createSession();
  const stream = await live(session);
  const ws = await open(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&conn=chatty`);
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => {
      ws.once('message', r);
      ws.send(`message ${i}`);
    });
  }
  const counts = await eventually(() => {
    const c = stream.counts.at(-1);
    if (!c) throw new Error('no counts yet');
    return c;
  }, 5000);
  expect(counts.dropped.events).toBeGreaterThan(0);
  const read = await transcript(session);
  expect(read.dropped?.events).toBeGreaterThanOrEqual(counts.dropped.events);
  // 120 frames, few changes: the handshake, the first frame each way.
  expect(stream.findings.filter((f) => f.connection === 'chatty').length).toBeLessThan(5);
  ws.close();
  stream.res.destroy();
}, 20_000);
