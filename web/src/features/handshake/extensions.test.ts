import { describe, expect, it } from 'vitest';
import { explainDeflateParam, parseExtensions } from './extensions.ts';

describe('parseExtensions', () => {
  it("reads Chromium's offer: one extension, a parameter without a value", () => {
    expect(parseExtensions([['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits']])).toEqual([
      { name: 'permessage-deflate', params: [{ name: 'client_max_window_bits' }] },
    ]);
  });

  it('reads several extensions across repeated headers, values quoted or not', () => {
    const headers: [string, string][] = [
      ['sec-websocket-extensions', 'permessage-deflate; server_no_context_takeover; client_max_window_bits="10"'],
      ['Sec-WebSocket-Extensions', 'x-webkit-deflate-frame, permessage-deflate'],
    ];
    expect(parseExtensions(headers)).toEqual([
      { name: 'permessage-deflate', params: [{ name: 'server_no_context_takeover' }, { name: 'client_max_window_bits', value: '10' }] },
      { name: 'x-webkit-deflate-frame', params: [] },
      { name: 'permessage-deflate', params: [] },
    ]);
  });

  it('finds nothing when the header is absent or empty', () => {
    expect(parseExtensions([['Upgrade', 'websocket']])).toEqual([]);
    expect(parseExtensions([['Sec-WebSocket-Extensions', '']])).toEqual([]);
  });
});

describe('explainDeflateParam', () => {
  it('tells an offer of client_max_window_bits from a limit set in the 101', () => {
    expect(explainDeflateParam('client_max_window_bits', undefined, false)).toContain('the 101 decides');
    expect(explainDeflateParam('client_max_window_bits', '10', true)).toContain('at most 1024 bytes (2^10)');
    expect(explainDeflateParam('client_max_window_bits', undefined, true)).toContain('not valid in a 101');
  });

  it('explains context takeover and names unknown parameters as such', () => {
    expect(explainDeflateParam('server_no_context_takeover', undefined, true)).toContain('RFC 7692 §7.1.1.1');
    expect(explainDeflateParam('mystery', '1', true)).toBe('not a parameter RFC 7692 defines');
  });
});
