import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Where the forward proxy may tunnel: the lab's own listeners (echo server, reverse proxy,
 * real nginx) under any name of this machine, plus the `host:port` targets a user named with
 * `--forward-proxy-allow`. Anything else — another port on loopback (a database, the lab's
 * own API), another machine — is refused with 403, so a lab bound beyond loopback is never
 * an open proxy into the laptop it runs on.
 */
export interface ForwardProxyAllow {
  /** Ports of the lab's own listeners, read when a CONNECT arrives (ports picked with 0 are known late). */
  labPorts: () => readonly number[];
  /** `host:port` targets allowed besides (`--forward-proxy-allow`). */
  targets?: readonly string[];
  /** The address the lab binds to: with 0.0.0.0 or ::, every address of this machine names it. */
  boundHost?: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** `host` lower-cased, without IPv6 brackets. */
export function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** `host:port` → its parts, or undefined when it is not one (a port from 1 to 65535 is required). */
export function splitAuthority(target: string): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(target.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) return undefined;
  return { host: bareHost(match[1]!), port };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Names this machine answers to, for the lab's listeners. */
export function thisMachine(host: string, boundHost: string | undefined): boolean {
  if (isLoopback(host)) return true;
  const bound = bareHost(boundHost ?? '127.0.0.1');
  if (host === bound) return true;
  if (bound !== '0.0.0.0' && bound !== '::') return false;
  return Object.values(networkInterfaces()).some((list) => list?.some((a) => bareHost(a.address) === host));
}

export function checkTarget(allow: ForwardProxyAllow, host: string, port: number): Verdict {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if ((allow.targets ?? []).some((t) => splitAuthority(t)?.host === host && splitAuthority(t)?.port === port)) return { ok: true };
  const lab = allow.labPorts();
  if (thisMachine(host, allow.boundHost) && lab.includes(port)) return { ok: true };
  const listeners = lab.length > 0 ? `the lab's own listeners (ports ${lab.join(', ')})` : 'the lab\'s own listeners';
  const why = thisMachine(host, allow.boundHost)
    ? `port ${port} is not one of ${listeners}`
    : `${host} is not this machine, and only ${listeners} are allowed`;
  return {
    ok: false,
    reason: `forward proxy: CONNECT ${target} refused: ${why}. Start the lab with --forward-proxy-allow ${target} to tunnel there.`,
  };
}
