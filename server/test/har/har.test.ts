import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLab, type Lab } from '../../src/lab.ts';
import type { ImportedSession, SessionCreated } from '../../src/api/types.ts';
import { browserMessages, transcriptToHar } from '../../src/har/to-har.ts';
import { harToTranscript } from '../../src/har/from-har.ts';
import type { Har } from '../../src/har/types.ts';
import { harProblems } from '../../src/har/validate.ts';
import type { Connection, FrameEvent, Transcript } from '../../src/transcript/types.ts';
import { eventually } from '../helpers/net.ts';

const fixtures = new URL('../diagnose/fixtures/', import.meta.url);
const chrome = JSON.parse(readFileSync(new URL('./fixtures/chrome-devtools.har', import.meta.url), 'utf8')) as Har;
const LIMITS = { maxEvents: 100_000, maxConnections: 2_000 };

function recorded(name: string): Transcript {
  const { connection } = JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as { connection: Connection };
  return { format: 'ws-upgrade-lab/transcript', version: 1, session: 'recorded', connections: [connection] };
}

describe('the HAR structure validator', () => {
  it('accepts a HAR saved by Chrome DevTools', () => {
    expect(harProblems(chrome)).toEqual([]);
  });

  it('names each missing or mistyped required field', () => {
    const broken = structuredClone(chrome) as unknown as { log: Record<string, unknown> & { entries: Record<string, Record<string, unknown>>[] } };
    delete broken.log['creator'];
    delete broken.log.entries[1]!['timings']!['wait'];
    broken.log.entries[1]!['response']!['status'] = '101';
    (broken.log.entries[1]!['_webSocketMessages'] as unknown as Record<string, unknown>[])[0]!['type'] = 'sent';
    expect(harProblems(broken)).toEqual([
      'log.creator must be an object (it is missing)',
      'log.entries[1].response.status must be a whole number, not "101"',
      'log.entries[1].timings.wait must be a number of milliseconds, or -1 when it does not apply, not missing',
      'log.entries[1]._webSocketMessages[0].type must be "send", "receive" or "error", not "sent"',
    ]);
    expect(harProblems({ log: { ...chrome.log, version: '2.0' } })).toEqual(['log.version must be "1.2" (or "1.1"), not "2.0"']);
  });
});

describe('a transcript as HAR', () => {
  it('is valid HAR 1.2 with Chrome’s WebSocket fields for every recorded fixture', () => {
    for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
      const har = transcriptToHar(recorded(file));
      expect(harProblems(har), file).toEqual([]);
      for (const entry of har.log.entries) expect(entry._resourceType, file).toBe('websocket');
    }
  });

  it('holds the browser’s leg through a proxy once: the handshake it sent and got, and each message', () => {
    const har = transcriptToHar(recorded('proxy-nginx-websocket.json'));
    const [entry] = har.log.entries;
    expect(entry!.request.url).toMatch(/^ws:\/\/127\.0\.0\.1:8090\/nginx-websocket\/echo\?/);
    expect(entry!.request.httpVersion).toBe('HTTP/1.1');
    expect(entry!.response.status).toBe(101);
    // The 101 the browser got from the proxy (its Server header), not the echo server's.
    expect(entry!.response.headers.find((h) => h.name === 'Server')?.value).toBe('websocket-upgrade-lab');
    expect(entry!._webSocketMessages!.map(({ type, opcode, data }) => ({ type, opcode, data }))).toEqual([
      { type: 'send', opcode: 1, data: 'hello' },
      { type: 'receive', opcode: 1, data: 'hello' },
    ]);
    const first = entry!._webSocketMessages![0]!;
    expect(first.time).toBeGreaterThan(1.7e9); // seconds since the epoch, as Chrome writes them
    expect(first.time).toBeLessThan(1e10);
  });

  it('joins fragments into one message, binary as base64', () => {
    const t = recorded('healthy-direct.json');
    const base = t.connections[0]!.events.find((e) => e.kind === 'frame' && e.from === 'browser') as FrameEvent;
    const frame = (over: Partial<FrameEvent>): FrameEvent => ({ ...base, ...over });
    const events = [
      frame({ seq: 1000, opcode: 2, fin: false, payload: Buffer.from([0, 1]).toString('base64') }),
      frame({ seq: 1001, opcode: 9, fin: true, payload: '' }),
      frame({ seq: 1002, opcode: 0, fin: true, payload: Buffer.from([2, 255]).toString('base64') }),
    ];
    expect(browserMessages(events).map((m) => [m.type, m.opcode, m.data])).toEqual([['send', 2, 'AAEC/w==']]);
  });
});

describe('a HAR opened in the lab', () => {
  it('shows a Chrome DevTools HAR’s WebSocket: its handshake and messages, seen by the browser only', () => {
    const t = harToTranscript(chrome, LIMITS);
    if ('error' in t) throw new Error(t.error);
    expect(t.connections).toHaveLength(1); // the page's own entry is not a WebSocket
    const [c] = t.connections;
    expect(c!.url).toBe('ws://127.0.0.1:8089/echo?protocols=chat');
    expect(new Set(c!.events.map((e) => e.observer))).toEqual(new Set(['browser']));
    expect(c!.events[0]).toMatchObject({ kind: 'request', method: 'GET', target: '/echo?protocols=chat', httpVersion: '1.1' });
    expect(c!.events[1]).toMatchObject({ kind: 'response', status: 101, reason: 'Switching Protocols' });
    const frames = c!.events.filter((e): e is FrameEvent => e.kind === 'frame');
    expect(frames.map((f) => [f.from, f.opcode, Buffer.from(f.payload, 'base64').toString(f.opcode === 1 ? 'utf8' : 'hex')])).toEqual([
      ['browser', 1, '{"hello":"world"}'],
      ['echo', 1, '{"hello":"world"}'],
      ['browser', 2, '000102ff'],
      ['echo', 2, '000102ff'],
      ['browser', 1, 'Grüße ✓'],
      ['echo', 1, 'Grüße ✓'],
    ]);
    expect(frames[4]!.length).toBe(Buffer.byteLength('Grüße ✓'));
    expect(frames[0]!.time).toBe('2026-11-30T09:08:22.287Z');
    // And back to HAR: the same messages.
    expect(transcriptToHar(t).log.entries[0]!._webSocketMessages).toEqual(chrome.log.entries[1]!._webSocketMessages!.map((m) => ({ ...m, time: Math.round(m.time * 1000) / 1000 })));
  });

  it('says what is wrong with a file that is not a HAR, or holds no WebSocket', () => {
    expect(harToTranscript({ log: { version: '1.2', entries: [] } }, LIMITS)).toEqual({ error: 'not a HAR 1.2 file: log.creator must be an object (it is missing)' });
    const pageOnly = { log: { ...chrome.log, entries: [chrome.log.entries[0]] } };
    expect(harToTranscript(pageOnly, LIMITS)).toMatchObject({ error: expect.stringMatching(/holds no WebSocket/) });
  });
});

describe('GET /api/sessions/:session/har', () => {
  let lab: Lab;
  let base: string;
  beforeAll(async () => {
    lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0 });
    base = `http://127.0.0.1:${lab.ports.ui}`;
  });
  afterAll(() => lab.close());

  it('exports a live session as HAR, which opens again as a HAR session with the same messages', async () => {
    const headers = { 'content-type': 'application/json' };
    const { id } = (await (await fetch(`${base}/api/sessions`, { method: 'POST', body: '{}', headers })).json()) as SessionCreated;
    const ws = new WebSocket(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${id}&conn=c1`);
    ws.on('error', () => {});
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('über');
    await new Promise((resolve) => ws.once('message', resolve));
    ws.send(Buffer.from('binär'));
    await eventually(async () => {
      const har = (await (await fetch(`${base}/api/sessions/${id}/har`)).json()) as Har;
      expect(har.log.entries[0]!._webSocketMessages).toHaveLength(4);
    });
    ws.close();
    const res = await fetch(`${base}/api/sessions/${id}/har`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="ws-upgrade-lab-${id}.har"`);
    const text = await res.text();
    const har = JSON.parse(text) as Har;
    expect(harProblems(har)).toEqual([]);
    expect(har.log.entries[0]!._webSocketMessages!.map((m) => [m.type, m.opcode, m.data])).toEqual([
      ['send', 1, 'über'],
      ['receive', 1, 'über'],
      ['send', 2, Buffer.from('binär').toString('base64')],
      ['receive', 2, Buffer.from('binär').toString('base64')],
    ]);
    const opened = (await (await fetch(`${base}/api/sessions/import?name=x.har`, { method: 'POST', body: text, headers })).json()) as ImportedSession;
    expect(opened).toMatchObject({ from: 'har', connections: 1 });
    const again = (await (await fetch(`${base}/api/sessions/${opened.id}/har`)).json()) as Har;
    expect(again.log.entries[0]!._webSocketMessages).toEqual(har.log.entries[0]!._webSocketMessages);
    const t = (await (await fetch(`${base}/api/sessions/${opened.id}/transcript`)).json()) as Transcript;
    expect(t.imported).toMatchObject({ from: 'har', name: 'x.har', browserOnly: true });
  });
});
