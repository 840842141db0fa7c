// How to test a pasted config: which path reaches the location the pitfalls are about, how
// long to stay quiet to see proxy_read_timeout act, and whether a plain request is needed.

import type { NginxPitfall, NginxRunPlan } from '../api/types.ts';
import { layoutOf, locationsOf, requestPathFor } from './effective.ts';
import type { Statement } from './parse.ts';

/** The longest a run stays quiet to test proxy_read_timeout; a longer timeout is left untested. */
export const RUN_MAX_IDLE_MS = 5 * 60_000;

/** Quiet this much past the timeout, so a timer that fires a little late still fires within the run. */
export const idleFor = (timeoutMs: number) => timeoutMs + Math.max(1000, Math.round(timeoutMs * 0.05));

export function runPlan(statements: readonly Statement[], pitfalls: readonly NginxPitfall[], lab: { id: string; host: string; port: number; heartbeatMs?: number }): NginxRunPlan | undefined {
  const locations = locationsOf(layoutOf(statements)).filter((l) => l.modifier !== '@' && l.statement.block?.some((s) => s.name.value === 'proxy_pass'));
  // The first location with a pitfall, else the first that proxies at all.
  const chosen = locations.find((l) => pitfalls.some((p) => p.location.line === l.statement.line)) ?? locations[0];
  if (!chosen) return undefined;
  const path = requestPathFor(chosen);
  const mine = pitfalls.filter((p) => p.location.line === chosen.statement.line);
  const timeout = mine.find((p) => p.id === 'read-timeout')?.timeoutMs;
  const host = lab.host.includes(':') && !lab.host.startsWith('[') ? `[${lab.host}]` : lab.host;
  return {
    path,
    location: { text: chosen.text, line: chosen.statement.line },
    url: `ws://${host}:${lab.port}${path}?nginx-config=${lab.id}`,
    ...(timeout !== undefined && idleFor(timeout) <= RUN_MAX_IDLE_MS ? { idleMs: idleFor(timeout) } : {}),
    ...(lab.heartbeatMs === undefined ? {} : { heartbeatMs: lab.heartbeatMs }),
    plainRequest: mine.some((p) => p.id === 'connection-constant'),
  };
}
