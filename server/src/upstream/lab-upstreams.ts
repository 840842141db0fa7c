// The lab's side of `--upstream`: a relay per upstream for real nginx, and how /api/info and
// the start-up lines name them.

import type { PortInfo, UpstreamInfo } from '../api/types.ts';
import type { HandshakeCorrelation } from '../tap/correlation.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { createNginxUpstreamRelay, type NginxUpstreamRelay } from './nginx-relay.ts';
import { upstreamRoutePrefix } from './routes.ts';
import type { NamedUpstream } from './upstreams.ts';

export interface UpstreamRelays {
  byName: Map<string, { upstream: NamedUpstream; port: number }>;
  close(): Promise<void>;
}

export async function startUpstreamRelays(options: { store: TranscriptStore; upstreams: readonly NamedUpstream[]; correlation?: HandshakeCorrelation; maxCapture?: number }): Promise<UpstreamRelays> {
  const byName = new Map<string, { upstream: NamedUpstream; port: number }>();
  const relays: NginxUpstreamRelay[] = [];
  const close = async () => {
    await Promise.all(relays.map((r) => r.close()));
  };
  try {
    for (const upstream of options.upstreams) {
      const relay = createNginxUpstreamRelay({ store: options.store, upstream, ...(options.correlation ? { correlation: options.correlation } : {}), ...(options.maxCapture ? { maxCapture: options.maxCapture } : {}) });
      relays.push(relay);
      byName.set(upstream.name, { upstream, port: await relay.listen() });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { byName, close };
}

export function upstreamInfo(upstreams: readonly NamedUpstream[]): UpstreamInfo[] {
  return upstreams.map((u) => ({ name: u.name, url: u.url, path: u.path }));
}

/** The start-up lines: where each upstream is reached through the bundled proxy and real nginx. */
export function upstreamListeners(upstreams: readonly NamedUpstream[], host: string, ports: PortInfo): { name: string; url: string }[] {
  return upstreams.flatMap((u) => {
    const lines: { name: string; url: string }[] = [];
    const path = u.path.replace(/^\//, '');
    if (ports.proxy !== undefined) lines.push({ name: `upstream ${u.name}`, url: `ws://${host}:${ports.proxy}${upstreamRoutePrefix(u.name)}/${path} (pass-through; /<preset>/ before the path for a preset) → ${u.url}` });
    if (ports.nginx !== undefined) lines.push({ name: `upstream ${u.name}`, url: `ws://${host}:${ports.nginx}${upstreamRoutePrefix(u.name)}/<preset>/${path} (real nginx) → ${u.url}` });
    return lines;
  });
}
