// Refusals by the echo server, read from recorded handshakes: the rule names the hop that made
// the request refusable (a proxy, when the request it received was fine) and stays silent when
// the echo server upgraded.
import { describe, expect, it } from 'vitest';
import { refusedConnectionNotUpgrade, refusedHttp10Strict, refusedMissingUpgrade } from '../../src/diagnose/rules/refusals-upgrade.ts';
import { handshakeRefused, refusedBadKey, refusedHeadTooLarge, refusedMethod, refusedOrigin, refusedVersion } from '../../src/diagnose/rules/refusals.ts';
import { apply, expectWellFormed } from './load.ts';

describe('refused-missing-upgrade', () => {
  it('blames the client when the request it sent had no Upgrade', () => {
    const f = expectWellFormed(apply(refusedMissingUpgrade, 'refused-no-upgrade'));
    expect(f).toMatchObject({ rule: 'refused-missing-upgrade', at: 'browser' });
    expect(f.summary).toBe('The request reached the echo server without an Upgrade: websocket header, so it answered 426 Upgrade Required.');
  });

  it('blames the proxy that dropped Upgrade (nginx-default: HTTP/1.0, Connection: close)', () => {
    const f = expectWellFormed(apply(refusedMissingUpgrade, 'proxy-nginx-default'));
    expect(f.at).toBe('reverse-proxy');
    expect(f.summary).toBe('The reverse proxy dropped Upgrade, a hop-by-hop header, so the echo server answered 426 and the browser reports 1006.');
    expect(f.why).toContain('HTTP/1.0 with Connection: close');
    expect(f.why).toContain("nginx's default proxy_pass");
    expect(f.fix).toBe('In the nginx location: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";');
    expect(f.reference).toContain('RFC 9110 §7.6.1');
  });

  it.each(['healthy-direct', 'proxy-nginx-websocket', 'proxy-nginx-missing-connection', 'refused-version-8'])('stays silent for %s', (name) => {
    expect(apply(refusedMissingUpgrade, name)).toBeUndefined();
  });
});

describe('refused-connection-not-upgrade', () => {
  it('blames the client that sent Connection: keep-alive', () => {
    const f = expectWellFormed(apply(refusedConnectionNotUpgrade, 'refused-connection-keep-alive'));
    expect(f.at).toBe('browser');
    expect(f.summary).toContain('Connection: keep-alive');
  });

  it('blames the proxy that sent Connection: close with Upgrade (nginx-missing-connection)', () => {
    const f = expectWellFormed(apply(refusedConnectionNotUpgrade, 'proxy-nginx-missing-connection'));
    expect(f.at).toBe('reverse-proxy');
    expect(f.summary).toBe(
      'The reverse proxy forwarded Upgrade but sent Connection: close instead of Connection: upgrade, so the echo server answered 426 and the browser reports 1006.',
    );
    expect(f.fix).toContain('proxy_set_header Connection "upgrade";');
  });

  it.each(['healthy-direct', 'proxy-nginx-default', 'proxy-nginx-websocket'])('stays silent for %s', (name) => {
    expect(apply(refusedConnectionNotUpgrade, name)).toBeUndefined();
  });
});

describe('refused-http10-strict', () => {
  it('blames the client that spoke HTTP/1.0 to a strict server', () => {
    const f = expectWellFormed(apply(refusedHttp10Strict, 'refused-strict-http10'));
    expect(f.at).toBe('browser');
    expect(f.summary).toBe('The upgrade request was HTTP/1.0, so the strict echo server answered 400.');
  });

  it('blames the proxy that downgraded to HTTP/1.0 (nginx-seed, strict=1) and asks for proxy_http_version 1.1', () => {
    const f = expectWellFormed(apply(refusedHttp10Strict, 'proxy-nginx-seed-strict'));
    expect(f.at).toBe('reverse-proxy');
    expect(f.fix).toBe('In the nginx location: proxy_http_version 1.1;');
    expect(f.reference).toContain('proxy_http_version');
  });

  it.each(['proxy-nginx-seed', 'refused-malformed-key', 'healthy-direct'])('stays silent for %s', (name) => {
    expect(apply(refusedHttp10Strict, name)).toBeUndefined();
  });
});

describe('refused-bad-key', () => {
  it('names a missing key', () => {
    expect(expectWellFormed(apply(refusedBadKey, 'refused-missing-key')).summary).toContain('with no Sec-WebSocket-Key');
  });
  it('quotes a malformed key', () => {
    expect(expectWellFormed(apply(refusedBadKey, 'refused-malformed-key')).summary).toContain('a malformed Sec-WebSocket-Key ("short")');
  });
  it.each(['refused-strict-http10', 'healthy-direct'])('stays silent for %s (a 400 for another reason, or none)', (name) => {
    expect(apply(refusedBadKey, name)).toBeUndefined();
  });
});

describe('refused-version', () => {
  it('says which version was asked for', () => {
    const f = expectWellFormed(apply(refusedVersion, 'refused-version-8'));
    expect(f.summary).toContain('Sec-WebSocket-Version: 8');
    expect(f.reference).toContain('RFC 6455 §4.2.2');
  });
  it.each(['refused-no-upgrade', 'proxy-nginx-default', 'healthy-direct'])('stays silent for %s (a 426 about Upgrade, or none)', (name) => {
    expect(apply(refusedVersion, name)).toBeUndefined();
  });
});

describe('refused-origin', () => {
  it('explains a cross-port origin refused by a same-host policy', () => {
    const f = expectWellFormed(apply(refusedOrigin, 'refused-origin-direct'));
    expect(f.at).toBe('echo');
    expect(f.summary).toBe(
      'The echo server answered 403 Forbidden because Origin http://127.0.0.1:8080 is not the same host as Host: 127.0.0.1:8089, and the browser reports 1006.',
    );
  });

  it('blames the proxy whose Host $host dropped the port (nginx-forwarded)', () => {
    const f = expectWellFormed(apply(refusedOrigin, 'proxy-nginx-forwarded-origin'));
    expect(f.at).toBe('reverse-proxy');
    expect(f.summary).toContain('rewrote Host from 127.0.0.1:8090 to 127.0.0.1');
    expect(f.fix).toContain('proxy_set_header Host $http_host;');
  });

  it('names a missing Origin', () => {
    expect(expectWellFormed(apply(refusedOrigin, 'refused-origin-missing')).summary).toContain('no Origin header');
  });

  it.each(['proxy-nginx-forwarded', 'healthy-direct'])('stays silent for %s', (name) => {
    expect(apply(refusedOrigin, name)).toBeUndefined();
  });
});

describe('refused-method, refused-head-too-large', () => {
  it('405 names the method used', () => {
    expect(expectWellFormed(apply(refusedMethod, 'refused-post')).summary).toContain('used POST instead of GET');
  });
  it('431 quotes the size the server recorded', () => {
    expect(expectWellFormed(apply(refusedHeadTooLarge, 'refused-head-too-large')).why).toMatch(/request head is \d+ bytes; the limit is 16384/);
  });
  it.each(['healthy-direct', 'refused-no-upgrade'])('stay silent for %s', (name) => {
    expect(apply(refusedMethod, name)).toBeUndefined();
    expect(apply(refusedHeadTooLarge, name)).toBeUndefined();
  });
});

describe('handshake-refused (fallback)', () => {
  it('says what the server recorded when no specific rule applies', () => {
    const f = expectWellFormed(apply(handshakeRefused, 'refused-not-http'));
    expect(f).toMatchObject({ at: 'echo' });
    expect(f.summary).toBe('The echo server answered 400 Bad Request instead of 101 Switching Protocols.');
    expect(f.why).toContain('NOT_HTTP');
  });
  it.each(['refused-no-upgrade', 'refused-post', 'healthy-direct', 'fault-status-200'])('stays silent for %s (a cause explains it, or no refusal)', (name) => {
    expect(apply(handshakeRefused, name)).toBeUndefined();
  });
});
