// A transcript as HAR 1.2, the way Chrome DevTools saves a WebSocket: one entry per connection
// (its handshake on the browser's leg) with `_resourceType: "websocket"` and its messages in
// `_webSocketMessages`. DevTools, HTTP Toolkit and other HAR viewers open it.
import type { Connection, FrameEvent, HeaderList, LabEvent, Transcript } from '../transcript/types.ts';
import type { Har, HarEntry, HarNameValue, HarWebSocketMessage } from './types.ts';

export const HAR_CREATOR = { name: 'WebSocket Upgrade Lab', version: '0.1.0' };

const pairs = (headers: HeaderList): HarNameValue[] => headers.map(([name, value]) => ({ name, value }));
const seconds = (time: string) => Date.parse(time) / 1000;
const httpVersion = (v: string) => (v.startsWith('HTTP/') ? v : `HTTP/${v}`);

/**
 * Who recorded the browser's leg: the first hop (it saw the bytes), or the browser itself when
 * no hop did (a HAR opened in the lab).
 */
function browserLegObserver(events: readonly LabEvent[]): LabEvent['observer'] {
  for (const e of events) if (e.from === 'browser' && e.observer !== 'browser' && (e.kind === 'request' || e.kind === 'connect' || e.kind === 'frame')) return e.observer;
  return 'browser';
}

/** The data messages the browser sent and received, fragments joined, as DevTools lists them (no control frames). */
export function browserMessages(events: readonly LabEvent[]): HarWebSocketMessage[] {
  const observer = browserLegObserver(events);
  const messages: HarWebSocketMessage[] = [];
  const open = new Map<string, { first: FrameEvent; parts: Buffer[] }>();
  for (const e of events) {
    if (e.kind !== 'frame' || e.observer !== observer || (e.from !== 'browser' && e.to !== 'browser')) continue;
    if (e.opcode >= 8 || (e.opcode !== 0 && e.opcode !== 1 && e.opcode !== 2)) continue;
    const way = e.from === 'browser' ? 'send' : 'receive';
    const bytes = Buffer.from(e.inflated ?? e.payload, 'base64');
    const pending = e.opcode === 0 ? open.get(way) : { first: e, parts: [] };
    if (!pending) continue; // a continuation with nothing to continue: not a message
    pending.parts.push(bytes);
    if (!e.fin) {
      open.set(way, pending);
      continue;
    }
    open.delete(way);
    const data = Buffer.concat(pending.parts);
    const opcode = pending.first.opcode;
    messages.push({ type: way, time: seconds(e.time), opcode, data: opcode === 1 ? data.toString('utf8') : data.toString('base64') });
  }
  return messages;
}

function entry(connection: Connection): HarEntry {
  const events = connection.events;
  const observer = browserLegObserver(events);
  const request = events.find((e) => e.kind === 'request' && e.from === 'browser' && e.observer === observer);
  const response = events.find((e) => e.kind === 'response' && e.to === 'browser' && (e.observer === observer || e.observer === 'browser'));
  const url = new URL(connection.url);
  const wait = request && response ? Math.max(0, Date.parse(response.time) - Date.parse(request.time)) : 0;
  return {
    startedDateTime: new Date(Date.parse(request?.time ?? connection.startedAt)).toISOString(),
    time: wait,
    request: {
      method: request?.kind === 'request' ? request.method : 'GET',
      url: connection.url,
      httpVersion: httpVersion(request?.kind === 'request' ? request.httpVersion : '1.1'),
      cookies: [],
      headers: request?.kind === 'request' ? pairs(request.headers) : [],
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      // 0: no answer reached the browser (HAR's way to say the request failed).
      status: response?.kind === 'response' ? response.status : 0,
      statusText: response?.kind === 'response' ? response.reason : '',
      httpVersion: httpVersion(response?.kind === 'response' ? response.httpVersion : '1.1'),
      cookies: [],
      headers: response?.kind === 'response' ? pairs(response.headers) : [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive: 0 },
    _resourceType: 'websocket',
    _webSocketMessages: browserMessages(events),
  };
}

/** The session's connections as HAR 1.2: what the browser sent and received on each. */
export function transcriptToHar(transcript: Transcript): Har {
  return {
    log: {
      version: '1.2',
      creator: HAR_CREATOR,
      entries: transcript.connections.filter((c) => /^wss?:/.test(c.url)).map(entry),
      comment: `Session ${transcript.session}: the browser's leg of each WebSocket, as recorded by its first hop.`,
    },
  };
}
