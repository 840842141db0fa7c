// How connections ended, read from recorded closes: who started the closing handshake, what ws
// answered a client's protocol error with, the browser's code against the wire's, socket errors,
// and the fallbacks that speak only when nothing else explains a failure.
import { describe, expect, it } from 'vitest';
import {
  abnormalClosure,
  clientProtocolError,
  closeCodeMismatch,
  frameProtocolViolation,
  serverInitiatedClose,
} from '../../src/diagnose/rules/close-codes.ts';
import { socketError } from '../../src/diagnose/rules/socket-errors.ts';
import { apply, expectWellFormed } from './load.ts';

const HEALTHY = ['healthy-direct', 'proxy-nginx-websocket', 'proxy-nginx-idle-heartbeat'];

describe('server-initiated-close', () => {
  it('reports the code and reason the echo server chose, and what the browser saw', () => {
    const f = expectWellFormed(apply(serverInitiatedClose, 'server-close-4000'));
    expect(f.summary).toBe('The echo server started the closing handshake with 4000 (private use) "lesson over"; the browser reports 4000 with wasClean true.');
  });
  it.each([
    ...HEALTHY, // the browser closed first
    'client-unmasked-frame', // a protocol error: client-protocol-error explains it
    'fault-masked-frame', // the browser failed the connection and closed first
    'server-invalid-close-code', // the close frame itself was broken: reserved-close-code explains it
    'server-close-code-1004', // the close frame itself was broken: close-code-mismatch explains it
  ])('stays silent for %s', (name) => {
    expect(apply(serverInitiatedClose, name)).toBeUndefined();
  });
});

describe('client-protocol-error', () => {
  it.each([
    ['client-unmasked-frame', 'WS_ERR_EXPECTED_MASK', '1002 (protocol error)', 'unmasked frame'],
    ['client-invalid-utf8', 'WS_ERR_INVALID_UTF8', '1007 (invalid payload data)', 'not valid UTF-8'],
    ['client-reserved-opcode', 'WS_ERR_INVALID_OPCODE', '1002 (protocol error)', 'reserved opcode'],
  ])('%s: ws reported %s and closed with %s', (name, code, close, what) => {
    const f = expectWellFormed(apply(clientProtocolError, name));
    expect(f.at).toBe('browser');
    expect(f.summary).toContain(what);
    expect(f.summary).toContain(`closed the connection with ${close}`);
    expect(f.why).toContain(code);
  });
  it('adds what the lab\'s own decoder saw', () => {
    expect(apply(clientProtocolError, 'client-reserved-opcode')?.why).toContain('RESERVED_OPCODE');
  });
  it.each([...HEALTHY, 'server-close-4000', 'fault-masked-frame'])('stays silent for %s', (name) => {
    expect(apply(clientProtocolError, name)).toBeUndefined();
  });
});

describe('close-code-mismatch', () => {
  it('explains a 1006 after a close frame carrying a code that may not be sent', () => {
    const f = expectWellFormed(apply(closeCodeMismatch, 'server-close-code-1004'));
    expect(f.at).toBe('echo');
    expect(f.summary).toBe(
      'The close frame the echo server sent to the browser carries 1004 (not a valid close code), but the browser reports 1006 (abnormal closure: no close frame).',
    );
    expect(f.why).toContain('INVALID_CLOSE_CODE');
  });
  it.each([
    ...HEALTHY,
    'server-close-4000', // 4000 on the wire, 4000 in the CloseEvent
    'fault-invalid-utf8', // the browser failed the connection first; its 1006 is explained elsewhere
    'server-close-code-1004-terminal', // no browser to compare with
    'server-invalid-close-code', // 1005 may never travel: reserved-close-code explains it
  ])('stays silent for %s', (name) => {
    expect(apply(closeCodeMismatch, name)).toBeUndefined();
  });
});

describe('socket-error', () => {
  it('explains ECONNREFUSED at the proxy and the 502 it answered', () => {
    const f = expectWellFormed(apply(socketError, 'proxy-upstream-down'));
    expect(f.at).toBe('reverse-proxy');
    expect(f.summary).toBe(
      "The reverse proxy's connection with the echo server failed with ECONNREFUSED, so it answered 502 Bad Gateway and the browser reports 1006.",
    );
    expect(f.fix).toContain('Start the upstream');
  });
  it.each([...HEALTHY, 'fault-close-without-frame', 'fault-masked-frame-reset'])('stays silent for %s', (name) => {
    expect(apply(socketError, name)).toBeUndefined();
  });
});

describe('frame-protocol-violation (fallback)', () => {
  it('speaks for a decode error no cause explains (a terminal client, no browser)', () => {
    const f = expectWellFormed(apply(frameProtocolViolation, 'server-close-code-1004-terminal'));
    expect(f.summary).toBe('The echo server sent a frame that breaks RFC 6455 (INVALID_CLOSE_CODE).');
    expect(f.why).toContain('1004');
  });
  it.each([...HEALTHY, 'server-invalid-close-code', 'client-reserved-opcode', 'fault-invalid-utf8'])('stays silent for %s', (name) => {
    expect(apply(frameProtocolViolation, name)).toBeUndefined();
  });
});

describe('abnormal-closure (fallback)', () => {
  it('explains a bare 1006 when no hop recorded anything', () => {
    const f = expectWellFormed(apply(abnormalClosure, 'browser-never-reached'));
    expect(f.at).toBe('browser');
    expect(f.summary).toBe('The connection closed abnormally: the browser reports 1006, and no hop recorded why.');
    expect(f.why).toContain('never sent on the wire');
    expect(f.why).toContain('never reached the lab');
    expect(f.reference).toContain('RFC 6455 §7.1.5');
  });
  it.each([...HEALTHY, 'proxy-nginx-idle-timeout', 'fault-wrong-accept', 'proxy-nginx-default', 'fault-close-without-frame'])(
    'stays silent for %s (a 1000, or a 1006 a cause explains)',
    (name) => {
      expect(apply(abnormalClosure, name)).toBeUndefined();
    },
  );
});
