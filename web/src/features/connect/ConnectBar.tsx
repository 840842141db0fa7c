import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { infoQuery } from '../../api/queries.ts';
import { ErrorText } from '../../components/ErrorText.tsx';
import { useLabStore } from '../../store/index.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { openBrowserSocket } from './browser-sockets.ts';
import { ConnectHints } from './ConnectHints.tsx';
import { ConnectOptions } from './ConnectOptions.tsx';
import { RouteField } from './RouteField.tsx';
import { buildWebSocketUrl, labHost, parseSubprotocols, routeOptions } from './url.ts';

/** Opens a WebSocket from this page: route, options, the exact URL it will open, and Connect. */
export function ConnectBar() {
  const info = useQuery(infoQuery());
  const session = useLabStore((s) => s.sessionId);
  const form = useLabStore((s) => s.connectForm);
  const conn = useLabStore((s) => s.nextConnectionId);
  const rollConnectionId = useLabStore((s) => s.rollConnectionId);

  if (info.isPending) return <p className="hint">Loading the lab's ports and presets…</p>;
  if (info.isError) return <ErrorText>Could not read /api/info: {info.error.message}</ErrorText>;

  const options = routeOptions(info.data);
  const selected = options.find((o) => o.key === form.route && o.unavailable === undefined) ?? options[0]!;
  const url = buildWebSocketUrl(selected, form, labHost(info.data), session ?? '…', conn);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!session) return;
    const meta = selected.preset === undefined ? { url, route: selected.route } : { url, route: selected.route, preset: selected.preset };
    rollConnectionId();
    void openBrowserSocket({ session, conn, url, protocols: parseSubprotocols(form.subprotocols), meta });
  };

  return (
    <>
      <form className="connect-bar" aria-label="Connect" onSubmit={onSubmit}>
        <RouteField options={options} selected={selected} />
        <ConnectOptions info={info.data} selected={selected} />
        <span className="url-preview">
          <span id="connect-url-label" className="visually-hidden">
            URL it will open
          </span>
          <output className="wire url" aria-labelledby="connect-url-label" aria-live="off" title={url}>
            {url}
          </output>
          <CopyButton what="the URL Connect opens" text={url} />
        </span>
        <button type="submit" className="primary" disabled={session === null}>
          Connect
        </button>
      </form>
      <ConnectHints info={info.data} selected={selected} />
    </>
  );
}
