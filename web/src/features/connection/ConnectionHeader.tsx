import { memo } from 'react';
import type { Route } from '../../../../server/src/transcript/types.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import type { ConnectionSummary } from '../connections/connection-state.ts';

const TONE_BADGE = { ok: 'badge-ok', done: 'badge-neutral', error: 'badge-error', busy: 'badge-info' } as const;

interface Props {
  id: string;
  url: string;
  route: Route;
  preset: string | undefined;
  state: string;
  tone: ConnectionSummary['tone'];
}

/** Which connection this is, its route and preset, how it went, and its URL (drawn again only when one changes). */
export const ConnectionHeader = memo(function ConnectionHeader({ id, url, route, preset, state, tone }: Props) {
  return (
    <div className="conn-header">
      <h2 id="connection-heading">
        Connection <span className="wire">{id}</span>
      </h2>
      <span className="badge badge-neutral">
        {route}
        {preset ? ` · ${preset}` : ''}
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
