// What the bundled reverse proxy did to requests that still upgraded, read from the request it
// received beside the one it sent (recorded through its nginx and RFC 9110 presets).
import { describe, expect, it } from 'vitest';
import {
  proxyDroppedHopByHop,
  proxyForwardedForAppended,
  proxyForwardedHopByHop,
  proxyHostWithoutPort,
  proxyHttp10Upgrade,
} from '../../src/diagnose/rules/proxy.ts';
import { apply, expectWellFormed } from './load.ts';

describe('proxy-http10-upgrade (nginx-seed)', () => {
  it('warns that the upgrade went upstream as HTTP/1.0 and cites RFC 6455 §4.1', () => {
    const f = expectWellFormed(apply(proxyHttp10Upgrade, 'proxy-nginx-seed'));
    expect(f.at).toBe('reverse-proxy');
    expect(f.summary).toBe(
      'The reverse proxy forwarded the upgrade as HTTP/1.0; the echo server upgraded it anyway, but RFC 6455 §4.1 requires HTTP/1.1.',
    );
    expect(f.fix).toBe('Add proxy_http_version 1.1; to the location.');
  });
  it.each(['proxy-nginx-websocket', 'proxy-nginx-seed-strict', 'proxy-nginx-default', 'healthy-direct'])(
    'stays silent for %s (HTTP/1.1 upstream, or no upgrade happened)',
    (name) => {
      expect(apply(proxyHttp10Upgrade, name)).toBeUndefined();
    },
  );
});

describe('proxy-host-without-port (nginx-forwarded)', () => {
  it('shows Host before and after', () => {
    const f = expectWellFormed(apply(proxyHostWithoutPort, 'proxy-nginx-forwarded'));
    expect(f.summary).toContain('forwarded Host: 127.0.0.1 for a request to 127.0.0.1:8090');
    expect(f.fix).toContain('$http_host');
  });
  it.each([
    'proxy-nginx-websocket', // Host: the upstream's host:port, as proxy_pass sets it
    'proxy-nginx-forwarded-origin', // the 403 it caused: refused-origin tells it
    'healthy-direct',
  ])('stays silent for %s', (name) => {
    expect(apply(proxyHostWithoutPort, name)).toBeUndefined();
  });
});

describe('proxy-x-forwarded-for-appended', () => {
  it("shows the client's X-Forwarded-For and what arrived upstream", () => {
    const f = expectWellFormed(apply(proxyForwardedForAppended, 'proxy-nginx-forwarded'));
    expect(f.summary).toBe("The reverse proxy appended to the client's X-Forwarded-For: 10.1.2.3 arrived upstream as 10.1.2.3, 127.0.0.1.");
  });
  it.each(['proxy-nginx-forwarded-origin', 'proxy-nginx-websocket'])('stays silent for %s (no client X-Forwarded-For)', (name) => {
    expect(apply(proxyForwardedForAppended, name)).toBeUndefined();
  });
});

describe('hop-by-hop headers', () => {
  it('nginx forwards Proxy-Connection and headers named in Connection', () => {
    const f = expectWellFormed(apply(proxyForwardedHopByHop, 'proxy-hop-by-hop-nginx'));
    expect(f.summary).toBe(
      'The reverse proxy forwarded Proxy-Connection, X-Trace (named in Connection) upstream, hop-by-hop headers that RFC 9110 §7.6.1 says a proxy must remove.',
    );
    expect(f.fix).toContain('proxy_set_header Proxy-Connection "";');
  });
  it('the RFC 9110 preset removes them: an informational note', () => {
    const f = expectWellFormed(apply(proxyDroppedHopByHop, 'proxy-hop-by-hop-strict'));
    expect(f.summary).toContain('removed Proxy-Connection, X-Trace (named in Connection)');
    expect(f.fix).toBeUndefined();
  });
  it('each stays silent for the other preset and for a browser that sends none', () => {
    expect(apply(proxyForwardedHopByHop, 'proxy-hop-by-hop-strict')).toBeUndefined();
    expect(apply(proxyDroppedHopByHop, 'proxy-hop-by-hop-nginx')).toBeUndefined();
    expect(apply(proxyForwardedHopByHop, 'proxy-nginx-websocket')).toBeUndefined();
    expect(apply(proxyDroppedHopByHop, 'proxy-nginx-websocket')).toBeUndefined();
  });
});
