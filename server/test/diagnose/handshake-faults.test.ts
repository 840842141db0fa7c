// A 101 the client must reject, read from recorded handshakes with the echo server's faults:
// the values the rule reports are recomputed from the recorded request, not taken from the fault.
import { describe, expect, it } from 'vitest';
import { acceptMismatch, protocolNoneSelected, protocolNotOffered, statusNot101, upgradeMissingIn101 } from '../../src/diagnose/rules/handshake-faults.ts';
import { computeAccept } from '../../src/wire/accept.ts';
import { headerValue } from '../../src/wire/http-head.ts';
import { apply, expectWellFormed, recorded } from './load.ts';

const HEALTHY = ['healthy-direct', 'proxy-nginx-websocket', 'proxy-nginx-forwarded'];

describe('accept-mismatch', () => {
  it('compares what the echo server sent with computeAccept of the key it received', () => {
    const conn = recorded('fault-wrong-accept');
    const request = conn.events.find((e) => e.kind === 'request' && e.observer === 'echo');
    const response = conn.events.find((e) => e.kind === 'response' && e.observer === 'echo');
    if (request?.kind !== 'request' || response?.kind !== 'response') throw new Error('fixture lacks the handshake');
    const key = headerValue(request.headers, 'sec-websocket-key')!;
    const sent = headerValue(response.headers, 'sec-websocket-accept')!;
    const f = expectWellFormed(apply(acceptMismatch, 'fault-wrong-accept'));
    expect(f.at).toBe('echo');
    expect(f.summary).toBe(
      `The echo server's 101 carried Sec-WebSocket-Accept ${sent}, but the key ${key} requires ${computeAccept(key)}, so the handshake failed and the browser reports 1006.`,
    );
  });
  it.each([...HEALTHY, 'fault-missing-upgrade', 'refused-no-upgrade'])('stays silent for %s', (name) => {
    expect(apply(acceptMismatch, name)).toBeUndefined();
  });
});

describe('101-without-upgrade', () => {
  it('fires on a 101 with no Upgrade header', () => {
    const f = expectWellFormed(apply(upgradeMissingIn101, 'fault-missing-upgrade'));
    expect(f).toMatchObject({ rule: '101-without-upgrade', at: 'echo' });
    expect(f.summary).toContain('with no Upgrade header instead of Upgrade: websocket');
  });
  it.each([...HEALTHY, 'fault-wrong-accept', 'proxy-nginx-seed'])('stays silent for %s', (name) => {
    expect(apply(upgradeMissingIn101, name)).toBeUndefined();
  });
});

describe('status-not-101', () => {
  it('fires on 200 OK', () => {
    const f = expectWellFormed(apply(statusNot101, 'fault-status-200'));
    expect(f.summary).toBe('The echo server answered 200 OK instead of 101 Switching Protocols, so the handshake failed and the browser reports 1006.');
  });
  it.each([...HEALTHY, 'refused-no-upgrade', 'proxy-nginx-default'])('stays silent for %s (101, or a 4xx refusal)', (name) => {
    expect(apply(statusNot101, name)).toBeUndefined();
  });
});

describe('protocol-not-offered', () => {
  it('names the selected and the offered subprotocols', () => {
    const f = expectWellFormed(apply(protocolNotOffered, 'fault-protocol-not-offered'));
    expect(f.summary).toContain('selected subprotocol "not-offered", which the client never offered (it offered chat)');
    expect(f.reference).toContain('RFC 6455 §4.1');
  });
  it.each([...HEALTHY, 'fault-no-protocol'])('stays silent for %s', (name) => {
    expect(apply(protocolNotOffered, name)).toBeUndefined();
  });
});

describe('protocol-none-selected', () => {
  it('fires when the fault removed the selection', () => {
    const f = expectWellFormed(apply(protocolNoneSelected, 'fault-no-protocol'));
    expect(f.summary).toContain('offered subprotocols chat, but the echo server');
  });
  it('fires without any fault when the server accepts none of the offered protocols', () => {
    const f = expectWellFormed(apply(protocolNoneSelected, 'protocol-not-accepted'));
    expect(f.summary).toContain('chat, superchat');
    expect(f.why).toContain('accepts: v2');
    expect(f.fix).toContain('protocols=chat,superchat');
  });
  it.each([...HEALTHY, 'fault-protocol-not-offered'])('stays silent for %s', (name) => {
    expect(apply(protocolNoneSelected, name)).toBeUndefined();
  });
});
