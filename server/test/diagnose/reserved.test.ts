// What RFC 6455 reserves, sent by the echo server on purpose (fault=…): each rule names the
// hop, quotes what Chromium prints (checked live in e2e/lesson-reserved-faults.spec.ts) and
// names the RFC section and the fix.
import { describe, expect, it } from 'vitest';
import { fragmentedControlFrame, reservedCloseCode, reservedOpcode, unsupportedExtension } from '../../src/diagnose/rules/reserved.ts';
import { rsvWithoutExtension } from '../../src/diagnose/rules/frame-faults.ts';
import type { Rule } from '../../src/diagnose/rule.ts';
import { apply, expectWellFormed } from './load.ts';

const HEALTHY = ['healthy-direct', 'proxy-nginx-websocket', 'server-close-4000'];

describe.each<[Rule, string, string, string]>([
  [unsupportedExtension, 'fault-unknown-extension', "Found an unsupported extension 'x-webkit-deflate-frame' in 'Sec-WebSocket-Extensions' header", 'RFC 6455 §4.1 (client check 5), §9.1'],
  [reservedOpcode, 'fault-reserved-opcode', 'Unrecognized frame opcode: 3', 'RFC 6455 §5.2'],
  [reservedCloseCode, 'fault-close-1005', 'Received a broken close frame containing a reserved status code.', 'RFC 6455 §7.4.1'],
  [fragmentedControlFrame, 'fault-fragmented-ping', 'Invalid frame header', 'RFC 6455 §5.5'],
  [rsvWithoutExtension, 'fault-rsv2-set', 'One or more reserved bits are on: reserved1 = 0, reserved2 = 1, reserved3 = 0', 'RFC 6455 §5.2'],
])('%s', (rule, fixture, chromium, reference) => {
  it(`names the echo server for ${fixture}, quotes Chromium and the RFC, and says the fix`, () => {
    const f = expectWellFormed(apply(rule, fixture));
    expect(f.at).toBe('echo');
    expect(f.summary).toMatch(/^The echo server/);
    expect(f.summary).toMatch(/and the browser reports 1006\.$/);
    expect(f.why).toContain(chromium);
    expect(f.reference).toContain(reference);
    expect(f.fix).toBeTruthy();
  });

  it.each(HEALTHY)('stays silent for %s', (name) => {
    expect(apply(rule, name)).toBeUndefined();
  });
});

it('names the extension the client did offer', () => {
  expect(apply(unsupportedExtension, 'fault-unknown-extension')?.summary).toBe(
    "The echo server's 101 agreed to the extension x-webkit-deflate-frame, which the browser never offered (it offered permessage-deflate), so the handshake failed and the browser reports 1006.",
  );
});

it('says what a client must do when no browser reported (a terminal client)', () => {
  expect(apply(reservedCloseCode, 'server-invalid-close-code-terminal')?.summary).toBe(
    'The echo server sent a close frame with code 1005, which may never be sent on the wire, and a client must fail the connection on it.',
  );
});
