// Builders for the message tests: transcript events as the hops record them.
import type { FrameEvent, LabEvent, Party, RequestEvent } from '../../../../server/src/transcript/types.ts';

let seq = 0;
export function resetSeq(): void {
  seq = 0;
}

export function frame(observer: Party, from: Party, to: Party, text: string, fields: Partial<FrameEvent> = {}): FrameEvent {
  seq += 1;
  return {
    kind: 'frame',
    seq,
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, seq)).toISOString(),
    observer,
    from,
    to,
    fin: true,
    rsv1: false,
    rsv2: false,
    rsv3: false,
    opcode: 0x1,
    masked: from === 'browser',
    length: Buffer.byteLength(text),
    payload: Buffer.from(text).toString('base64'),
    truncated: false,
    ...fields,
  };
}

export function request(observer: Party, from: Party, to: Party): RequestEvent {
  seq += 1;
  return { kind: 'request', seq, time: new Date(0).toISOString(), observer, from, to, method: 'GET', target: '/echo', httpVersion: '1.1', headers: [] };
}

/** One message relayed by the bundled reverse proxy: what it received, what it sent on, what the far end received. */
export function throughProxy(way: 'out' | 'in', text: string, fields: Partial<FrameEvent> = {}): LabEvent[] {
  return way === 'out'
    ? [
        frame('reverse-proxy', 'browser', 'reverse-proxy', text, fields),
        frame('reverse-proxy', 'reverse-proxy', 'echo', text, fields),
        frame('echo', 'reverse-proxy', 'echo', text, fields),
      ]
    : [
        frame('echo', 'echo', 'reverse-proxy', text, fields),
        frame('reverse-proxy', 'echo', 'reverse-proxy', text, fields),
        frame('reverse-proxy', 'reverse-proxy', 'browser', text, fields),
      ];
}
