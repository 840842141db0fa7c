// Frames a server must never send, and a TCP close without a close frame, read from recorded
// connections: each rule finds the frame on the echo server's leg, where it was produced.
import { describe, expect, it } from 'vitest';
import {
  rsvWithoutExtension,
  serverControlTooLong,
  serverInvalidUtf8,
  serverMaskedFrame,
  tcpCloseWithoutCloseFrame,
} from '../../src/diagnose/rules/frame-faults.ts';
import { apply, expectWellFormed } from './load.ts';

const HEALTHY = ['healthy-direct', 'server-close-4000', 'proxy-nginx-websocket', 'proxy-nginx-idle-heartbeat'];

describe('server-masked-frame', () => {
  it('reports the mask key the frame carried', () => {
    const f = expectWellFormed(apply(serverMaskedFrame, 'fault-masked-frame'));
    expect(f.at).toBe('echo');
    expect(f.summary).toContain('masked text frame (mask key 01020304)');
    expect(f.reference).toContain('RFC 6455 §5.1');
  });
  // The client's own frames are masked, as they must be.
  it.each([...HEALTHY, 'client-invalid-utf8'])('stays silent for %s', (name) => {
    expect(apply(serverMaskedFrame, name)).toBeUndefined();
  });
});

describe('rsv-without-extension', () => {
  it('fires on RSV1 with no Sec-WebSocket-Extensions in the 101', () => {
    const f = expectWellFormed(apply(rsvWithoutExtension, 'fault-rsv1-without-extension'));
    expect(f.summary).toContain('RSV1 set although no extension was negotiated');
  });
  it.each(HEALTHY)('stays silent for %s', (name) => {
    expect(apply(rsvWithoutExtension, name)).toBeUndefined();
  });
});

describe('server-invalid-utf8', () => {
  it('fires on the decoder\'s INVALID_UTF8 for a server text frame', () => {
    const f = expectWellFormed(apply(serverInvalidUtf8, 'fault-invalid-utf8'));
    expect(f.at).toBe('echo');
    expect(f.why).toContain('1007');
  });
  it.each([...HEALTHY, 'client-invalid-utf8'])('stays silent for %s (the client\'s bad text is ws\'s business)', (name) => {
    expect(apply(serverInvalidUtf8, name)).toBeUndefined();
  });
});

describe('server-control-frame-too-long', () => {
  it('reports the length of the ping', () => {
    expect(expectWellFormed(apply(serverControlTooLong, 'fault-control-too-long')).summary).toContain('ping frame carrying 126 bytes');
  });
  it.each(HEALTHY)('stays silent for %s (heartbeat pings are small)', (name) => {
    expect(apply(serverControlTooLong, name)).toBeUndefined();
  });
});

describe('tcp-close-without-close-frame', () => {
  it('fires when the echo server drops TCP after the 101', () => {
    const f = expectWellFormed(apply(tcpCloseWithoutCloseFrame, 'fault-close-without-frame'));
    expect(f.summary).toBe('The echo server closed the TCP connection without sending a close frame, so the browser reports 1006 with wasClean false.');
  });
  it('fires through a proxy too', () => {
    expect(apply(tcpCloseWithoutCloseFrame, 'proxy-close-without-frame')?.at).toBe('echo');
  });
  it.each([
    ...HEALTHY,
    'proxy-nginx-idle-timeout', // the proxy cut it: idle.ts explains
    'fault-wrong-accept', // the browser rejected the 101 and hung up itself
    'fault-masked-frame', // close frames were exchanged
  ])('stays silent for %s', (name) => {
    expect(apply(tcpCloseWithoutCloseFrame, name)).toBeUndefined();
  });
});
