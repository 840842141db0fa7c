import { useRef } from 'react';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import { useLabStore } from '../../store/index.ts';
import { EchoParamsFields } from './EchoParamsFields.tsx';
import type { RouteOption } from './url.ts';

/** How many options differ from the defaults, so a closed popover still says something is set. */
function changed(form: ReturnType<typeof useLabStore.getState>['connectForm']): number {
  return [form.subprotocols.trim() !== '', !form.serverAcceptsProtocols, form.deflate, form.strict, form.heartbeat.trim() !== '', form.origin.trim() !== '', form.fault !== ''].filter(Boolean).length;
}

/** Subprotocols and the echo server's parameters, in a popover (Escape or a click outside closes it). */
export function ConnectOptions({ info, selected }: { info: LabInfo; selected: RouteOption }) {
  const form = useLabStore((s) => s.connectForm);
  const setConnectForm = useLabStore((s) => s.setConnectForm);
  const popover = useRef<HTMLDivElement>(null);
  const count = changed(form);
  const nginxHint = !info.nginx.available && info.presets.length > 0 ? info.nginx.reason ?? 'it is not running in this lab.' : undefined;
  return (
    <>
      <button type="button" className="options-button" popoverTarget="connect-options" aria-haspopup="dialog">
        Options{count > 0 && <span className="count-badge"> ({count} set)</span>} <span aria-hidden="true">▾</span>
      </button>
      <div id="connect-options" ref={popover} popover="auto" role="dialog" aria-labelledby="connect-options-heading" className="popover connect-options">
        <h2 id="connect-options-heading">Connection options</h2>
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
          <input type="checkbox" checked={form.serverAcceptsProtocols} onChange={(e) => setConnectForm({ serverAcceptsProtocols: e.target.checked })} />
          Server accepts them (protocols=)
        </label>
        {selected.upstream === undefined ? (
          <EchoParamsFields info={info} />
        ) : (
          <p className="hint">The echo server's parameters do not apply: this route reaches your own server {selected.upstream.name}.</p>
        )}
        {nginxHint && <p className="hint">Real nginx is unavailable: {nginxHint}</p>}
        <button type="button" className="primary" onClick={() => popover.current?.hidePopover()}>
          Done
        </button>
      </div>
    </>
  );
}
