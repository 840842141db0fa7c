// RFC 9110 §7.6.1 and §7.8, read literally, for the `rfc9110-strict` preset.

import type { HeaderList } from '../transcript/types.ts';

/**
 * Fields RFC 9110 §7.6.1 names as "known to require removal before forwarding, whether or
 * not they appear as a connection-option", plus Connection itself. Trailer is not among
 * them: RFC 2616 §13.5.1 listed it, RFC 9110 does not.
 */
export const RFC9110_HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'te', 'transfer-encoding', 'upgrade'] as const;

/** Lower-cased connection-options of every Connection field: `Upgrade, X-Custom` → upgrade, x-custom. */
export function connectionOptions(headers: HeaderList): string[] {
  return headers
    .filter(([n]) => n.toLowerCase() === 'connection')
    .flatMap(([, v]) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/** Protocol names in Upgrade fields, lower-cased, without versions: `websocket/13, h2c` → websocket, h2c. */
export function upgradeProtocols(headers: HeaderList): string[] {
  return headers
    .filter(([n]) => n.toLowerCase() === 'upgrade')
    .flatMap(([, v]) => v.split(','))
    .map((t) => (t.split('/')[0] ?? '').trim().toLowerCase())
    .filter((t) => t !== '');
}

/**
 * The header section a strict intermediary forwards: every hop-by-hop field removed (the
 * fixed set, `alsoDrop`, and each field the Connection field names), then its own control
 * options put where the sender's Connection and Upgrade were, or at the end when there were
 * none. End-to-end fields keep their order, case and values.
 */
export function forwardStrictly(
  headers: HeaderList,
  own: { connection: string; upgrade?: string },
  alsoDrop: readonly string[],
): HeaderList {
  const drop = new Set<string>([...RFC9110_HOP_BY_HOP, ...alsoDrop, ...connectionOptions(headers)]);
  const out: HeaderList = [];
  let connectionSent = false;
  let upgradeSent = own.upgrade === undefined;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'connection' && !connectionSent) {
      out.push(['Connection', own.connection]);
      connectionSent = true;
    } else if (lower === 'upgrade' && !upgradeSent && own.upgrade !== undefined) {
      out.push(['Upgrade', own.upgrade]);
      upgradeSent = true;
    }
    if (!drop.has(lower)) out.push([name, value]);
  }
  if (!upgradeSent && own.upgrade !== undefined) out.push(['Upgrade', own.upgrade]);
  if (!connectionSent) out.push(['Connection', own.connection]);
  return out;
}
