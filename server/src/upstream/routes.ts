// Which upstream a request on the proxy or nginx port is for, read from its path:
//
//   /upstream/<name>/<path>            the bundled proxy passes it through unchanged (but for the path)
//   /upstream/<name>/<preset>/<path>   the preset's behaviour, as on /<preset>/, with the upstream behind it
//
// Either way the upstream receives `/<path>` and the query: the prefix is removed, as
// `proxy_pass http://host:port/;` does in `location /upstream/<name>/<preset>/`.

import { originForm } from '../reverse-proxy/presets-nginx.ts';
import type { Preset } from '../reverse-proxy/presets.ts';
import { UPSTREAM_PREFIX, type NamedUpstream } from './upstreams.ts';

export interface UpstreamRoute {
  upstream: NamedUpstream;
  /** Undefined for pass-through. */
  preset?: Preset;
  /** The request target the upstream receives: the prefix removed, the query kept. */
  target: string;
}

export type UpstreamMatch = UpstreamRoute | { error: string } | undefined;

/** The upstream route of a request target, an error that says which upstreams exist, or undefined for any other path. */
export function matchUpstreamRoute(target: string, upstreams: readonly NamedUpstream[], presets: readonly Preset[]): UpstreamMatch {
  const origin = originForm(target);
  if (!origin.startsWith(UPSTREAM_PREFIX)) return undefined;
  const q = origin.indexOf('?');
  const path = q === -1 ? origin : origin.slice(0, q);
  const query = q === -1 ? '' : origin.slice(q);
  const afterPrefix = path.slice(UPSTREAM_PREFIX.length);
  const slash = afterPrefix.indexOf('/');
  const name = slash === -1 ? afterPrefix : afterPrefix.slice(0, slash);
  const upstream = upstreams.find((u) => u.name === name);
  if (!upstream) {
    const known = upstreams.length === 0 ? 'this lab was started without any; add --upstream <name>=ws://host:port' : `this lab knows ${upstreams.map((u) => u.name).join(', ')}`;
    return { error: `no upstream named ${JSON.stringify(name)} (${known})` };
  }
  const rest = slash === -1 ? '/' : afterPrefix.slice(slash);
  const preset = presets.find((p) => rest.startsWith(`/${p.name}/`));
  const forwarded = preset === undefined ? rest : rest.slice(preset.name.length + 1);
  return { upstream, ...(preset === undefined ? {} : { preset }), target: `${forwarded}${query}` };
}

/** The path a route's URL starts with: `/upstream/<name>` or `/upstream/<name>/<preset>`. */
export function upstreamRoutePrefix(name: string, preset?: string): string {
  return `${UPSTREAM_PREFIX}${name}${preset === undefined ? '' : `/${preset}`}`;
}
