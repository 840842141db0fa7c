import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { infoQuery, transcriptQuery } from '../../api/queries.ts';
import { ErrorText } from '../../components/ErrorText.tsx';
import { useLabStore } from '../../store/index.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { ConnectHints } from './ConnectHints.tsx';
import { ConnectOptions } from './ConnectOptions.tsx';
import { connectWithForm, formUrl, selectedRoute } from './open-from-form.ts';
import { RouteField } from './RouteField.tsx';
import { routeOptions } from './url.ts';

/** Opens a WebSocket from this page: route, options, the exact URL it will open, and Connect. */
export function ConnectBar() {
  const info = useQuery(infoQuery());
  const session = useLabStore((s) => s.sessionId);
  const form = useLabStore((s) => s.connectForm);
  const conn = useLabStore((s) => s.nextConnectionId);
  const imported = useQuery({ ...transcriptQuery(session ?? ''), enabled: session !== null, select: (t) => t.imported !== undefined }).data ?? false;

  if (info.isPending) return <p className="hint">Loading the lab's ports and presets…</p>;
  if (info.isError) return <ErrorText>Could not read /api/info: {info.error.message}</ErrorText>;

  const options = routeOptions(info.data);
  const selected = selectedRoute(info.data, form);
  const url = formUrl(info.data, form, session ?? '…', conn);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!session) return;
    void connectWithForm(info.data, session);
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
        <button
          type="submit"
          className="primary"
          disabled={session === null || imported}
          title={imported ? 'This session was opened from a file and is read-only: start a new session (Session menu) to connect' : undefined}
        >
          Connect
        </button>
      </form>
      <ConnectHints info={info.data} selected={selected} />
    </>
  );
}
