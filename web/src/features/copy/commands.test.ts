import { describe, expect, it } from 'vitest';
import type { Connection, RequestEvent } from '../../../../server/src/transcript/types.ts';
import { rawHead, reproduceUrl, shellQuote, websocatCommand, wscatCommand } from './commands.ts';

const request: RequestEvent = {
  kind: 'request',
  seq: 1,
  time: '',
  observer: 'echo',
  from: 'browser',
  to: 'echo',
  method: 'GET',
  target: '/echo?lab=s&conn=c-1',
  httpVersion: '1.1',
  headers: [
    ['Host', '127.0.0.1:8089'],
    ['Origin', 'http://127.0.0.1:8080'],
    ['Sec-WebSocket-Protocol', 'chat.v2, chat.v1'],
  ],
};
const connection: Connection = {
  id: 'c-1',
  url: 'ws://127.0.0.1:8089/echo?lab=s&conn=c-1&protocols=chat.v2,chat.v1',
  route: 'direct',
  startedAt: '',
  events: [request],
};

describe('commands that reproduce a connection from a terminal', () => {
  it('drop conn= so the terminal gets a connection of its own in the same session', () => {
    expect(reproduceUrl(connection.url)).toBe('ws://127.0.0.1:8089/echo?lab=s&protocols=chat.v2,chat.v1');
  });

  it('websocat and wscat with the same subprotocols and Origin, quoted for a shell', () => {
    expect(websocatCommand(connection)).toBe(
      "websocat --protocol 'chat.v2, chat.v1' --origin http://127.0.0.1:8080 'ws://127.0.0.1:8089/echo?lab=s&protocols=chat.v2,chat.v1'",
    );
    expect(wscatCommand(connection)).toBe(
      "npx wscat -c 'ws://127.0.0.1:8089/echo?lab=s&protocols=chat.v2,chat.v1' -s chat.v2 -s chat.v1 -o http://127.0.0.1:8080",
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('a raw head is the start line and headers with CRLF, ending in a blank line', () => {
    expect(rawHead(request)).toBe(
      'GET /echo?lab=s&conn=c-1 HTTP/1.1\r\nHost: 127.0.0.1:8089\r\nOrigin: http://127.0.0.1:8080\r\nSec-WebSocket-Protocol: chat.v2, chat.v1\r\n\r\n',
    );
  });
});
