import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { infoQuery } from '../../api/queries.ts';
import { ErrorText } from '../../components/ErrorText.tsx';
import { useLabStore } from '../../store/index.ts';
import { openBrowserSocket } from './browser-sockets.ts';
import { EchoParamsFields } from './EchoParamsFields.tsx';
import { RouteField } from './RouteField.tsx';
import { buildWebSocketUrl, labHost, parseSubprotocols, routeOptions } from './url.ts';

/** Opens a WebSocket from this page: route, subprotocols, echo parameters, and the exact URL. */
export function ConnectForm() {
  const info = useQuery(infoQuery());
  const session = useLabStore((s) => s.sessionId);
  const form = useLabStore((s) => s.connectForm);
  const conn = useLabStore((s) => s.nextConnectionId);
  const setConnectForm = useLabStore((s) => s.setConnectForm);
  const rollConnectionId = useLabStore((s) => s.rollConnectionId);

  if (info.isPending) return <p className="hint">Loading the lab's ports and presets…</p>;
  if (info.isError) return <ErrorText>Could not read /api/info: {info.error.message}</ErrorText>;

  const options = routeOptions(info.data);
  const selected = options.find((o) => o.key === form.route && o.unavailable === undefined) ?? options[0]!;
  const url = buildWebSocketUrl(selected, form, labHost(info.data), session ?? '…', conn);
  const ready = session !== null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!session) return;
    const meta = selected.preset === undefined ? { url, route: selected.route } : { url, route: selected.route, preset: selected.preset };
    rollConnectionId();
    void openBrowserSocket({ session, conn, url, protocols: parseSubprotocols(form.subprotocols), meta });
  };

  return (
    <form className="connect-form" aria-label="Connect" onSubmit={onSubmit}>
      <RouteField info={info.data} options={options} selected={selected} />
      <div className="field">
        <label htmlFor="connect-subprotocols">Subprotocols</label>
        <input
          id="connect-subprotocols"
          placeholder="e.g. chat.v2, chat.v1"
          value={form.subprotocols}
          onChange={(e) => setConnectForm({ subprotocols: e.target.value })}
          aria-describedby="connect-subprotocols-hint"
        />
        <p className="hint" id="connect-subprotocols-hint">
          Comma-separated; sent as Sec-WebSocket-Protocol in this order.
        </p>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={form.serverAcceptsProtocols}
          onChange={(e) => setConnectForm({ serverAcceptsProtocols: e.target.checked })}
        />
        Server accepts them (protocols=)
      </label>
      {selected.upstream === undefined && <EchoParamsFields info={info.data} />}
      <div className="field">
        <span id="connect-url-label" className="label">
          URL it will open
        </span>
        <output className="wire url" aria-labelledby="connect-url-label" aria-live="off">
          {url}
        </output>
      </div>
      <button type="submit" className="primary" disabled={!ready}>
        Connect
      </button>
    </form>
  );
}
