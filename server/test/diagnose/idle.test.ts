// nginx-idle-timeout, recorded with a 1.5 s proxy_read_timeout: the tunnel is cut when nothing
// crosses it, and left alone when the echo server's heartbeat pings keep it busy.
import { describe, expect, it } from 'vitest';
import { proxyIdleTimeout } from '../../src/diagnose/rules/idle.ts';
import { apply, expectWellFormed, recorded } from './load.ts';

describe('proxy-idle-timeout', () => {
  it('measures the silence before the proxy cut both legs', () => {
    const f = expectWellFormed(apply(proxyIdleTimeout, 'proxy-nginx-idle-timeout'));
    expect(f.at).toBe('reverse-proxy');
    expect(f.summary).toMatch(/^The reverse proxy closed both legs after 1\.[5-9] s without a frame, sending no close frame, so the browser reports 1006\.$/);
    expect(f.fix).toContain('proxy_read_timeout');
    expect(f.fix).toMatch(/heartbeat=\d+/);
    expect(f.reference).toContain('proxy_read_timeout');
  });

  it('stays silent when heartbeat pings kept the tunnel alive past the timeout', () => {
    const conn = recorded('proxy-nginx-idle-heartbeat');
    const pings = conn.events.filter((e) => e.kind === 'frame' && e.opcode === 0x9 && e.observer === 'reverse-proxy');
    expect(pings.length).toBeGreaterThan(2); // the fixture really did ping through the proxy
    expect(apply(proxyIdleTimeout, 'proxy-nginx-idle-heartbeat')).toBeUndefined();
  });

  it.each(['proxy-close-without-frame', 'proxy-nginx-websocket', 'fault-close-without-frame', 'healthy-direct'])('stays silent for %s', (name) => {
    expect(apply(proxyIdleTimeout, name)).toBeUndefined();
  });
});
