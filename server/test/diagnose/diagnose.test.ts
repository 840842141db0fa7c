// diagnose() over every recorded transcript: exactly the findings each scenario should get,
// each well-formed, every rule exercised, and nothing taken from the URL's fault name alone.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/diagnose/context.ts';
import { diagnose, RULES } from '../../src/diagnose/index.ts';
import type { Rule } from '../../src/diagnose/rule.ts';
import type { Connection } from '../../src/transcript/types.ts';
import { expectWellFormed, fixtureNames, recorded } from './load.ts';

const EXPECTED: Record<string, string[]> = {
  'healthy-direct': [],
  'server-close-4000': ['server-initiated-close'],
  'refused-no-upgrade': ['refused-missing-upgrade'],
  'refused-connection-keep-alive': ['refused-connection-not-upgrade'],
  'refused-missing-key': ['refused-bad-key'],
  'refused-malformed-key': ['refused-bad-key'],
  'refused-version-8': ['refused-version'],
  'refused-post': ['refused-method'],
  'refused-strict-http10': ['refused-http10-strict'],
  'refused-origin-missing': ['refused-origin'],
  'refused-origin-direct': ['refused-origin'],
  'refused-not-http': ['handshake-refused'],
  'refused-head-too-large': ['refused-head-too-large'],
  'fault-wrong-accept': ['accept-mismatch'],
  'fault-missing-upgrade': ['101-without-upgrade'],
  'fault-status-200': ['status-not-101'],
  'fault-protocol-not-offered': ['protocol-not-offered'],
  'fault-no-protocol': ['protocol-none-selected'],
  'protocol-not-accepted': ['protocol-none-selected'],
  'fault-masked-frame': ['server-masked-frame'],
  'fault-rsv1-without-extension': ['rsv-without-extension'],
  'fault-invalid-utf8': ['server-invalid-utf8'],
  'fault-control-too-long': ['server-control-frame-too-long'],
  'fault-close-without-frame': ['tcp-close-without-close-frame'],
  'server-invalid-close-code': ['reserved-close-code'],
  'server-invalid-close-code-terminal': ['reserved-close-code'],
  'server-close-code-1004': ['close-code-mismatch'],
  'server-close-code-1004-terminal': ['frame-protocol-violation'],
  'fault-unknown-extension': ['unsupported-extension'],
  'fault-reserved-opcode': ['reserved-opcode'],
  'fault-close-1005': ['reserved-close-code'],
  'fault-fragmented-ping': ['fragmented-control-frame'],
  'fault-rsv2-set': ['rsv-without-extension'],
  // Chromium sends its close frame and resets TCP: the reset is how it left, not a second cause.
  'fault-masked-frame-reset': ['server-masked-frame'],
  'client-unmasked-frame': ['client-protocol-error'],
  'client-invalid-utf8': ['client-protocol-error'],
  'client-reserved-opcode': ['client-protocol-error'],
  'browser-never-reached': ['abnormal-closure'],
  'proxy-nginx-websocket': [],
  'proxy-nginx-default': ['refused-missing-upgrade'],
  'proxy-nginx-missing-connection': ['refused-connection-not-upgrade'],
  'proxy-nginx-seed': ['proxy-http10-upgrade'],
  'proxy-nginx-seed-strict': ['refused-http10-strict'],
  'proxy-nginx-forwarded': ['proxy-host-without-port', 'proxy-x-forwarded-for-appended'],
  'proxy-nginx-forwarded-origin': ['refused-origin'],
  'proxy-nginx-idle-timeout': ['proxy-idle-timeout'],
  'proxy-nginx-idle-heartbeat': [],
  'proxy-close-without-frame': ['tcp-close-without-close-frame'],
  'proxy-hop-by-hop-nginx': ['proxy-forwarded-hop-by-hop'],
  'proxy-hop-by-hop-strict': ['proxy-dropped-hop-by-hop'],
  'proxy-upstream-down': ['socket-error'],
  'head-timeout-proxy': ['head-timeout'],
  'client-aborted-head': ['client-aborted-head'],
  'proxy-head-too-large': ['head-refused-at-proxy'],
  'proxy-nul-in-header': ['head-refused-at-proxy'],
  'forward-proxy-not-allowed': ['connect-refused'],
  'upstream-timeout': ['upstream-timeout'],
  'proxy-message-too-big': ['message-too-big'],
  'forward-proxy-opaque-idle': ['idle-tunnel', 'opaque-tunnel'],
  'route-forward-proxy': [],
  'route-forward-proxy-chosen-direct': ['no-connect-arrived'],
  'route-reverse-proxy-through-forward-proxy': ['connect-not-chosen'],
  'forward-proxy-tls-only-plain': ['tunnel-not-tls'],
  'forward-proxy-port-not-443': ['connect-refused'],
  'forward-proxy-refused-page-side': ['no-hop-saw-it', 'abnormal-closure'],
  'wss-certificate-not-trusted': ['wss-handshake-never-reached', 'abnormal-closure'],
};

describe('diagnose over recorded transcripts', () => {
  it('has an expectation for every fixture, and a fixture for every expectation', () => {
    expect(fixtureNames()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s → %j', (name, rules) => {
    const findings = diagnose(recorded(name));
    expect(findings.map((f) => f.rule)).toEqual(rules);
    for (const finding of findings) expectWellFormed(finding);
  });

  it('exercises every registered rule on some recorded transcript', () => {
    const fired = new Set(Object.values(EXPECTED).flat());
    expect(RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
  });

  it('registers each rule id once', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('findings come from events, never from the URL alone', () => {
  /** The same transcript with every mention of `fault=…` in URLs and request targets replaced. */
  function withFault(connection: Connection, fault: string | undefined): Connection {
    const swap = (s: string) => (fault === undefined ? s.replace(/&fault=[^&]*/g, '') : `${s.replace(/&fault=[^&]*/g, '')}&fault=${fault}`);
    return {
      ...connection,
      url: swap(connection.url),
      events: connection.events.map((e) => (e.kind === 'request' ? { ...e, target: swap(e.target) } : e)),
    };
  }

  it.each(['fault-wrong-accept', 'fault-masked-frame', 'fault-close-without-frame', 'fault-invalid-utf8'])(
    '%s: the same findings without the fault parameter',
    (name) => {
      const connection = recorded(name);
      expect(diagnose(withFault(connection, undefined))).toEqual(diagnose(connection));
    },
  );

  it.each(['wrong-accept', 'masked-frame', 'close-without-frame', 'status-200'])('a healthy transcript that claims fault=%s stays silent', (fault) => {
    expect(diagnose(withFault(recorded('healthy-direct'), fault))).toEqual([]);
  });
});

describe('diagnose is safe on any transcript', () => {
  it('an empty connection has no findings', () => {
    expect(diagnose({ id: 'c', url: 'ws://x/', route: 'direct', startedAt: new Date(0).toISOString(), events: [] })).toEqual([]);
  });

  it('a rule that throws costs only its own finding', () => {
    const broken: Rule = {
      id: 'broken',
      kind: 'cause',
      applies: () => {
        throw new Error('bug');
      },
    };
    expect(diagnose(recorded('server-close-4000'), [broken, ...RULES]).map((f) => f.rule)).toEqual(['server-initiated-close']);
  });

  it('reads events in seq order whatever order they are stored in', () => {
    const connection = recorded('proxy-nginx-default');
    const shuffled = { ...connection, events: [...connection.events].reverse() };
    expect(diagnose(shuffled)).toEqual(diagnose(connection));
  });
});

describe('the context rules read', () => {
  it('groups a proxied connection by observer and leg', () => {
    const ctx = buildContext(recorded('proxy-nginx-default'));
    expect(ctx.hops).toEqual(['browser', 'reverse-proxy', 'echo']);
    expect(ctx.received('reverse-proxy')?.httpVersion).toBe('1.1');
    expect(ctx.sent('reverse-proxy')?.httpVersion).toBe('1.0');
    expect(ctx.received('echo')).toMatchObject({ observer: 'echo', from: 'reverse-proxy', httpVersion: '1.0' });
    expect(ctx.responseSent('echo')?.status).toBe(426);
    expect(ctx.responseReceived('reverse-proxy')?.status).toBe(426);
    expect(ctx.responseSent('reverse-proxy')?.status).toBe(426);
    expect(ctx.browser.close).toMatchObject({ code: 1006, wasClean: false });
    expect(ctx.legs.map((l) => `${l.observer}:${l.client}→${l.server}`).sort()).toEqual([
      'echo:reverse-proxy→echo',
      'reverse-proxy:browser→reverse-proxy',
      'reverse-proxy:reverse-proxy→echo',
    ]);
  });

  it('sorts close frames by direction and errors by kind', () => {
    const ctx = buildContext(recorded('client-reserved-opcode'));
    expect(ctx.echo?.closeFrames.toClient.map((f) => f.close?.code)).toEqual([1002]);
    expect(ctx.decodeErrors.map((e) => e.code)).toContain('RESERVED_OPCODE');
    expect(ctx.wsErrors.map((e) => e.code)).toEqual(['WS_ERR_INVALID_OPCODE']);
    const down = buildContext(recorded('proxy-upstream-down'));
    expect(down.socketErrors.map((e) => e.code)).toContain('ECONNREFUSED');
  });
});

describe('a client that is not a browser is not called one', () => {
  /** The same transcript as a terminal client (wscat, a test) leaves it: nothing the UI posts for a browser. */
  const asTerminal = (connection: Connection): Connection => ({ ...connection, events: connection.events.filter((e) => e.observer !== 'browser') });

  it.each(fixtureNames())('%s without browser reports names no browser', (name) => {
    for (const finding of diagnose(asTerminal(recorded(name)))) {
      expect(`${finding.summary} ${finding.why} ${finding.fix ?? ''}`).not.toMatch(/\bthe browser\b/i);
    }
  });
});
