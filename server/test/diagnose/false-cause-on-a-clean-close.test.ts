// A valid connection — upgraded, then closed cleanly with a normal code on every socket that
// recorded its end — gets notes at most, never a finding that claims a cause. Swept over every
// recorded transcript here; the e2e lessons sweep every connection their pages recorded
// (e2e/fixtures.ts). It failed before on the server closing with 4000 ("lesson over"): the
// echo server starting the closing handshake was filed as the cause of a failure.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/index.ts';
import { fixtureNames, recorded } from './load.ts';
import { causesOnCleanConnections, closedCleanly } from './sweep.ts';

describe('no cause on a connection that closed cleanly', () => {
  it.each(fixtureNames())('%s', (name) => {
    expect(causesOnCleanConnections([recorded(name)])).toEqual([]);
  });

  it('sweeps the clean ones: healthy, proxied, server-closed, and those with notes', () => {
    const clean = fixtureNames().filter((name) => closedCleanly(recorded(name)));
    expect(clean).toEqual(expect.arrayContaining(['healthy-direct', 'server-close-4000', 'proxy-nginx-websocket', 'proxy-nginx-seed', 'proxy-nginx-forwarded']));
    // An ending that is clean on the wire but not normal is no valid run: 1009 from the proxy.
    expect(clean).not.toContain('proxy-message-too-big');
    expect(diagnose(recorded('server-close-4000')).map((f) => f.rule)).toEqual(['server-initiated-close']);
  });

  it.each([
    ['ECONNRESET', 'socket-error'],
    // What the tap's own limit once made up on a valid connection: a fallback claims the sender broke RFC 6455.
    ['INFLATE_FAILED', 'frame-protocol-violation'],
  ])('catches %s made up on a clean connection (%s): the sweep can fail', (code, rule) => {
    const healthy = recorded('healthy-direct');
    const frame = healthy.events.find((e) => e.observer === 'echo' && e.kind === 'frame')!;
    const made = { ...frame, kind: 'error' as const, code, message: 'made up' };
    const broken = { ...healthy, events: [...healthy.events, made].sort((a, b) => a.seq - b.seq) };
    expect(closedCleanly(broken)).toBe(true);
    expect(causesOnCleanConnections([broken])).toEqual([expect.stringContaining(`${healthy.id}: ${rule}: `)]);
  });
});
