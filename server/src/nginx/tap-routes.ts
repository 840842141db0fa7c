// Which nginx the tap on the nginx port sends a request to: a pasted config's own
// (`?nginx-config=<id>`), the presets' nginx at an `/upstream/<name>/<preset>/` location, or
// the presets' nginx as before.

import type { NginxConfigs } from '../nginx-config/registry.ts';
import type { Preset } from '../reverse-proxy/presets.ts';
import { matchUpstreamRoute } from '../upstream/routes.ts';
import { upstreamRef, type NamedUpstream } from '../upstream/upstreams.ts';
import { labParams, type RequestHead } from '../wire/http-head.ts';
import type { NginxTapRoute } from './tap.ts';

/** The query parameter that sends a connection through a pasted config. */
export const NGINX_CONFIG_PARAM = 'nginx-config';

export function nginxTapRoutes(options: { configs?: NginxConfigs; upstreams: readonly NamedUpstream[]; presets: readonly Preset[] }) {
  return (head: RequestHead): NginxTapRoute | undefined => {
    const id = labParams(head.target).get(NGINX_CONFIG_PARAM);
    if (id !== null) {
      const backend = options.configs?.backend(id);
      if (!backend) {
        const most = options.configs ? `: the lab runs at most ${options.configs.maxRunning} at once and stops the least recently used` : '';
        return { refuse: { status: 404, reason: `nginx tap: no pasted nginx config ${id} is running (it was replaced, deleted, or stopped to make room${most}); paste it again` }, preset: `custom:${id}` };
      }
      return { nginx: { host: '127.0.0.1', port: backend.port }, preset: backend.preset, errorLog: backend.errorLog, ...(backend.upstream ? { upstream: backend.upstream } : {}) };
    }
    const via = matchUpstreamRoute(head.target, options.upstreams, options.presets);
    if (via === undefined) return undefined;
    if ('error' in via) return { refuse: { status: 404, reason: `nginx tap: ${via.error}` } };
    if (!via.preset) {
      const presets = options.presets.map((p) => p.name).join(', ');
      return {
        refuse: { status: 404, reason: `nginx tap: through real nginx an upstream is reached with a preset: /upstream/${via.upstream.name}/<preset>/… with one of ${presets} (pass-through is the bundled proxy's)` },
        upstream: upstreamRef(via.upstream),
      };
    }
    return { preset: via.preset.name, upstream: upstreamRef(via.upstream) };
  };
}
