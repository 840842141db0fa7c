import { afterAll, beforeAll, expect, it } from 'vitest';
import { request } from 'node:http';
import { startLab, type Lab } from '../../src/lab.ts';
import { diagnose } from '../../src/diagnose/index.ts';
import { INLINE_EVENTS } from '../../src/api/findings.ts';
import { SLICE_EVENTS } from '../../src/api/transcript-stream.ts';
import type { Transcript } from '../../src/transcript/types.ts';

// Reading one full transcript built an 89 MB JSON string and blocked the event loop for about
// a second: every tunnel the lab relays stalled meanwhile. The read is now written in slices,
// each followed by a turn of the event loop, and findings for a large connection are computed
// in a worker; the result is the same transcript with the same findings.

const FRAMES = INLINE_EVENTS + 15_000;
let lab: Lab;
let session: string;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0 });
  session = lab.store.createSession();
  const seen = { observer: 'echo', to: 'echo' } as const;
  lab.store.openConnection(session, 'large', { url: 'ws://x/large', route: 'direct' });
  lab.store.append(session, 'large', { kind: 'request', ...seen, from: 'browser', method: 'POST', target: '/echo', httpVersion: '1.1', headers: [['Upgrade', 'websocket']] });
  for (let i = 0; i < FRAMES; i++) {
    lab.store.append(session, 'large', {
      kind: 'frame', ...seen, from: 'browser', fin: true, rsv1: false, rsv2: false, rsv3: false,
      opcode: 1, masked: true, maskKey: '01020304', length: 5, payload: 'aGVsbG8=', truncated: false,
    });
  }
  lab.store.append(session, 'large', { kind: 'response', observer: 'echo', from: 'echo', to: 'browser', status: 405, reason: 'Method Not Allowed', httpVersion: '1.1', headers: [] });
  lab.store.openConnection(session, 'small', { url: 'ws://x/small', route: 'direct' });
  lab.store.append(session, 'small', { kind: 'request', ...seen, from: 'browser', method: 'POST', target: '/echo', httpVersion: '1.1', headers: [] });
  lab.store.append(session, 'small', { kind: 'response', observer: 'echo', from: 'echo', to: 'browser', status: 405, reason: 'Method Not Allowed', httpVersion: '1.1', headers: [], body: 'the opening handshake must be a GET request\n' });
});
afterAll(() => lab.close());

it('writes a large transcript in slices, yielding between them, with the findings diagnose() gives', async () => {
  let turns = 0;
  let reading = true;
  const spin = () => {
    turns += 1;
    if (reading) setImmediate(spin);
  };
  setImmediate(spin);
  const text = await new Promise<string>((resolve, reject) => {
    request({ host: '127.0.0.1', port: lab.ports.ui, path: `/api/sessions/${session}/transcript` }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    })
      .on('error', reject)
      .end();
  });
  reading = false;
  // At least one turn of the event loop per slice of events: no slice waited for the rest.
  expect(turns).toBeGreaterThanOrEqual(FRAMES / SLICE_EVENTS);

  const streamed = JSON.parse(text) as Transcript;
  const read = lab.store.read(session)!;
  expect(streamed.connections.map((c) => c.events.length)).toEqual(read.connections.map((c) => c.events.length));
  expect(streamed.connections.map((c) => c.events)).toEqual(read.connections.map((c) => c.events));
  for (const [i, c] of read.connections.entries()) expect(streamed.connections[i]!.findings).toEqual(diagnose(c));
  expect(streamed.connections.map((c) => c.findings?.map((f) => f.rule))).toEqual([['refused-method'], ['refused-method']]);
}, 30_000);
