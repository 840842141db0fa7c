import { memo } from 'react';
import { CopyButton } from '../copy/CopyButton.tsx';
import type { ConnectionSummary } from '../connections/connection-state.ts';

const TONE_BADGE = { ok: 'badge-ok', done: 'badge-neutral', error: 'badge-error', busy: 'badge-info' } as const;

interface Props {
  id: string;
  url: string;
  /** The route the wire showed, with its preset, and what the page chose when that differs (route-label.ts). */
  route: string;
  /** The route taken is not the chosen one, or no hop has seen the connection. */
  routeWarn: boolean;
  state: string;
  tone: ConnectionSummary['tone'];
}

/** Which connection this is, the route it took and its preset, how it went, and its URL (drawn again only when one changes). */
export const ConnectionHeader = memo(function ConnectionHeader({ id, url, route, routeWarn, state, tone }: Props) {
  return (
    <div className="conn-header">
      <h2 id="connection-heading">
        Connection <span className="wire">{id}</span>
      </h2>
      <span className={`badge ${routeWarn ? 'badge-warn' : 'badge-neutral'}`} title="The route the wire showed">
        {route}
      </span>
      <span className={`badge ${TONE_BADGE[tone]}`}>{state}</span>
      <span className="conn-url">
        <span className="wire url" title={url}>
          {url}
        </span>
        <CopyButton what="the connection URL" text={url} />
      </span>
    </div>
  );
});
