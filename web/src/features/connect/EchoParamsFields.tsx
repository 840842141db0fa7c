import { useShallow } from 'zustand/react/shallow';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import { useLabStore } from '../../store/index.ts';

/** The echo server's URL parameters (DESIGN.md): per-connection behaviour a student can read in the URL. */
export function EchoParamsFields({ info }: { info: LabInfo }) {
  const form = useLabStore(
    useShallow((s) => ({
      deflate: s.connectForm.deflate,
      heartbeat: s.connectForm.heartbeat,
      origin: s.connectForm.origin,
      strict: s.connectForm.strict,
      fault: s.connectForm.fault,
    })),
  );
  const setConnectForm = useLabStore((s) => s.setConnectForm);
  const fault = info.faults.find((f) => f.name === form.fault);
  return (
    <fieldset>
      <legend>Echo server parameters</legend>
      <label className="check">
        <input type="checkbox" checked={form.deflate} onChange={(e) => setConnectForm({ deflate: e.target.checked })} />
        Deflate (permessage-deflate)
      </label>
      <label className="check">
        <input type="checkbox" checked={form.strict} onChange={(e) => setConnectForm({ strict: e.target.checked })} />
        Strict (refuse what RFC 6455 §4 forbids)
      </label>
      <div className="field">
        <label htmlFor="connect-heartbeat">Heartbeat (ms)</label>
        <input
          id="connect-heartbeat"
          type="number"
          min={0}
          step={100}
          inputMode="numeric"
          placeholder="off"
          value={form.heartbeat}
          onChange={(e) => setConnectForm({ heartbeat: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="connect-origin">Origin policy</label>
        <input
          id="connect-origin"
          list="connect-origin-options"
          placeholder="any"
          value={form.origin}
          onChange={(e) => setConnectForm({ origin: e.target.value })}
        />
        <datalist id="connect-origin-options">
          <option value="any" />
          <option value="same-host" />
          <option value={window.location.origin} />
          <option value="https://example.com" />
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="connect-fault">Fault</label>
        <select id="connect-fault" value={form.fault} onChange={(e) => setConnectForm({ fault: e.target.value })}>
          <option value="">none: behave correctly</option>
          {info.faults.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
        {fault && <p className="hint">{fault.description}</p>}
      </div>
    </fieldset>
  );
}
