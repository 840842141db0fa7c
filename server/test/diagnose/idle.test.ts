// nginx-idle-timeout, recorded with a 1.5 s proxy_read_timeout: the tunnel is cut when nothing
// crosses it, and left alone when the echo server's heartbeat pings keep it busy.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/diagnose/context.ts';
import { heartbeatFor, likelyTimeout, proxyIdleTimeout } from '../../src/diagnose/rules/idle.ts';
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

  it('suggests half the timeout as the heartbeat, not half the measured silence (a 2 s timeout fired at 2,003 ms: heartbeat=1000, not 1001)', () => {
    const connection = recorded('proxy-nginx-idle-timeout');
    const closes = connection.events.filter((e) => e.kind === 'close' && e.observer !== 'browser').sort((a, b) => a.seq - b.seq);
    const cut = closes[0]!;
    const lastFrame = connection.events.filter((e) => e.kind === 'frame' && e.seq < cut.seq).at(-1)!;
    // The same transcript as if the timer had been 2 s and fired 3 ms late.
    const shift = Date.parse(lastFrame.time) + 2003 - Date.parse(cut.time);
    const shifted = {
      ...connection,
      events: connection.events.map((e) => (e.seq >= cut.seq ? { ...e, time: new Date(Date.parse(e.time) + shift).toISOString() } : e)),
    };
    const f = expectWellFormed(proxyIdleTimeout.applies(buildContext(shifted)));
    expect(f.summary).toContain('after 2.0 s without a frame');
    expect(f.fix).toContain('heartbeat=1000 here, half the 2.0 s of silence after which it cut the tunnel');
    expect(f.fix).not.toContain('1001');
  });

  it('rounds a measured silence to the timeout behind it', () => {
    expect([1503, 2003, 2049, 60_480, 90].map(likelyTimeout)).toEqual([1500, 2000, 2000, 60_000, 100]);
    expect([1500, 2000, 60_000, 100].map(heartbeatFor)).toEqual([750, 1000, 30_000, 100]);
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
