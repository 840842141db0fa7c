import { useRef, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LabInfo, NginxConfigResult } from '../../../../server/src/api/types.ts';
import { ErrorText } from '../../components/ErrorText.tsx';
import { errorMessage } from '../../api/client.ts';
import { ConfigEditor, type ConfigEditorHandle, type LineMark } from './ConfigEditor.tsx';
import { submitConfig } from './api.ts';
import { EXAMPLE_CONFIG } from './example.ts';
import { PitfallList } from './PitfallList.tsx';
import { ProblemList } from './ProblemList.tsx';
import { RewriteList } from './RewriteList.tsx';
import { RunSection } from './RunSection.tsx';
import { useNginxConfigStore } from './store.ts';

function marksOf(result: NginxConfigResult | null): Map<number, LineMark> {
  const marks = new Map<number, LineMark>();
  if (!result) return marks;
  for (const p of result.pitfalls) for (const line of [p.line, ...p.lines]) marks.set(line, 'pitfall');
  for (const m of result.test) if (m.line !== undefined) marks.set(m.line, m.level === 'warn' || m.level === 'notice' ? 'warn' : 'error');
  for (const r of result.refusals) marks.set(r.line, 'error');
  return marks;
}

function outcomeText(result: NginxConfigResult): string {
  if (result.outcome === 'running') return `nginx -t passed, and real nginx runs it as ${result.preset}${result.upstream ? `, pointed at upstream ${result.upstream}` : ', pointed at the echo server'}.`;
  return result.error ?? 'The lab did not run it.';
}

/** Paste a location or server block; the lab checks it, runs it in real nginx, and a run confirms or refutes each pitfall. */
export function NginxConfigPanel({ info }: { info: LabInfo }) {
  const state = useNginxConfigStore(
    useShallow((s) => ({ text: s.text, upstream: s.upstream, heartbeat: s.heartbeat, checking: s.checking, result: s.result, checkedText: s.checkedText, requestError: s.requestError, run: s.run, runningId: s.runningId, set: s.set })),
  );
  const editor = useRef<ConfigEditorHandle>(null);
  const { result } = state;
  const stale = result !== null && state.checkedText !== state.text;
  const goToLine = (line: number) => editor.current?.goToLine(line);
  const verdicts = state.run.phase === 'done' && !stale ? state.run.verdicts : undefined;

  const check = async (e?: FormEvent) => {
    e?.preventDefault();
    if (state.checking || state.text.trim() === '') return;
    const heartbeat = state.heartbeat.trim() === '' ? undefined : Number(state.heartbeat);
    state.set({ checking: true, requestError: null, run: { phase: 'idle' } });
    try {
      const next = await submitConfig({
        config: state.text,
        ...(state.upstream ? { upstream: state.upstream } : {}),
        ...(heartbeat !== undefined && Number.isFinite(heartbeat) ? { heartbeatMs: heartbeat } : {}),
        ...(state.runningId !== null ? { replaces: state.runningId } : {}),
      });
      useNginxConfigStore.getState().set({ result: next, checkedText: state.text, checking: false, ...(next.id !== undefined ? { runningId: next.id } : {}) });
    } catch (error) {
      useNginxConfigStore.getState().set({ requestError: errorMessage(error), checking: false });
    }
  };

  return (
    <div className="nginx-config-panel">
      <form aria-label="nginx config" onSubmit={(e) => void check(e)}>
        <div className="field">
          <label htmlFor="nginx-config-text">Your nginx config: a location block or a server block, with the map blocks it uses</label>
          <ConfigEditor id="nginx-config-text" value={state.text} onChange={(text) => state.set({ text })} marks={stale ? new Map() : marksOf(result)} describedBy="nginx-config-hint" onSubmit={() => void check()} handle={editor} />
          <p className="hint" id="nginx-config-hint">
            The lab runs it in real nginx {info.nginx.version ?? ''} on its own route, with proxy_pass pointed at the lab and its own listen; directives that read or write files, load code or reach other servers are refused. Ctrl+Enter checks it.{' '}
            <button type="button" className="link" onClick={() => state.set({ text: EXAMPLE_CONFIG })}>
              Fill in an example with pitfalls
            </button>
          </p>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="nginx-config-upstream">proxy_pass goes to</label>
            <select id="nginx-config-upstream" value={state.upstream} onChange={(e) => state.set({ upstream: e.target.value })}>
              <option value="">the lab's echo server</option>
              {(info.upstreams ?? []).map((u) => (
                <option key={u.name} value={u.name}>
                  your server {u.name} ({u.url})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="nginx-config-heartbeat">Your app's heartbeat (ms)</label>
            <input id="nginx-config-heartbeat" type="number" min={100} step={100} inputMode="numeric" placeholder="unknown" value={state.heartbeat} onChange={(e) => state.set({ heartbeat: e.target.value })} />
          </div>
        </div>
        <button type="submit" className="primary" disabled={state.checking || state.text.trim() === ''}>
          Check and run in nginx
        </button>
        {state.checking && (
          <p role="status" className="busy">
            <progress aria-label="Checking" /> Reading the config, running nginx -t in a private folder, starting nginx…
          </p>
        )}
      </form>
      {state.requestError && <ErrorText>{state.requestError}</ErrorText>}
      {result && (
        <div className="config-result" aria-live="polite">
          {stale && <p className="notice">The text changed since it was checked: check it again to see what the lab makes of it now.</p>}
          {result.outcome === 'running' ? <p className="notice-info">{outcomeText(result)}</p> : <ErrorText>{outcomeText(result)}</ErrorText>}
          <ProblemList result={result} goToLine={goToLine} />
          <PitfallList pitfalls={result.pitfalls} {...(verdicts ? { verdicts } : {})} goToLine={goToLine} />
          <RewriteList rewrites={result.rewrites} />
          {result.outcome === 'running' && !stale && <RunSection info={info} result={result} />}
        </div>
      )}
    </div>
  );
}
