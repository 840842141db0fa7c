import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Lab } from './lab.ts';

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

/** This machine's non-loopback addresses: what a student on the LAN types. */
function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) out.push(a.family === 'IPv6' ? `[${a.address}]` : a.address);
  }
  return out;
}

/**
 * What startup says when the lab binds beyond loopback: which listeners the network can
 * reach, under which names, and where the forward proxy will tunnel. Empty on loopback.
 */
export function exposure(lab: Lab, host: string, allowedHosts: readonly string[]): string[] {
  if (isLoopback(host)) return [];
  const wildcard = host === '0.0.0.0' || host === '::';
  const addresses = wildcard ? lanAddresses() : [host.includes(':') ? `[${host}]` : host];
  const lines = [
    '',
    `Exposed beyond this machine (--host ${host}): anyone who can reach ${addresses.join(', ') || host} can use`,
    `  lab UI + API     port ${lab.ports.ui}: answers Host ${[...addresses, 'localhost', '127.0.0.1', ...allowedHosts].join(', ')}; other names get 403 (--allowed-host adds one)`,
    `  echo server      port ${lab.ports.echo}`,
  ];
  if (lab.ports.proxy !== undefined) lines.push(`  reverse proxy    port ${lab.ports.proxy}`);
  if (lab.ports.nginx !== undefined) lines.push(`  real nginx       port ${lab.ports.nginx}`);
  if (lab.ports.forwardProxy !== undefined) {
    lines.push(`  forward proxy    port ${lab.ports.forwardProxy}: tunnels only to ${lab.forwardProxyTargets().join(', ')}; anything else gets 403 (--forward-proxy-allow adds a target)`);
  }
  for (const [preset, port] of Object.entries(lab.ports.forwardProxyPresets ?? {})) lines.push(`  forward proxy    port ${port} (${preset}): the same targets, and its preset's own refusals`);
  const tlsPorts = [lab.ports.uiTls, lab.ports.h2, lab.ports.h2NoConnect, lab.ports.echoTls, lab.ports.proxyTls].filter((p): p is number => p !== undefined);
  const tls = lab.info().tls;
  if (tlsPorts.length > 0 && tls) {
    lines.push(`  TLS listeners    ports ${tlsPorts.join(', ')} (the UI over HTTPS and HTTP/2, wss:// to the echo server and the reverse proxy)`);
    const named = addresses.filter((a) => tls.names.includes(a.replace(/^\[|\]$/g, '')));
    if (named.length < addresses.length) {
      lines.push(`  Their certificate names ${tls.names.join(', ')} only: browsers that reach this machine by another name refuse it. Give one with --tls-cert/--tls-key, or turn them off with --no-tls.`);
    }
  }
  if (addresses[0] !== undefined) lines.push(`Students open http://${addresses[0]}:${lab.ports.ui}/`);
  lines.push(
    "A session's id is the only key to its captures: a student who shares the page URL shares the session.",
    "Connections without ?lab= go to the 'default' session, which only this machine's browser can read.",
  );
  return lines;
}
