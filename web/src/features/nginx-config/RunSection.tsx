import { useEffect, useState } from 'react';
import type { LabInfo, NginxConfigResult } from '../../../../server/src/api/types.ts';
import { ErrorText } from '../../components/ErrorText.tsx';
import { useLabStore } from '../../store/index.ts';
import { runConfig } from './run-config.ts';
import { useNginxConfigStore, type RunState } from './store.ts';

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function phaseText(run: RunState, now: number): string {
  switch (run.phase) {
    case 'connecting':
      return `Opening ${run.conn} through nginx — waiting for 101 Switching Protocols…`;
    case 'echo':
      return `${run.conn} is open: sending a message and waiting for its echo…`;
    case 'quiet': {
      const left = Math.max(0, run.totalMs - (now - run.startedAt));
      return `Staying quiet to see whether nginx cuts the tunnel: ${seconds(left)} left of ${seconds(run.totalMs)}.`;
    }
    case 'closing':
      return `Closing ${run.conn} with 1000…`;
    case 'plain':
      return 'Sending a plain GET (no Upgrade) through the same location…';
    case 'judging':
      return 'Judging each pitfall by what the hops recorded…';
    case 'done':
      return `Done: ${run.conn} is in the connection list; each pitfall above says what the run showed.`;
    case 'idle':
    case 'failed':
      return '';
  }
}

/** The Run button, what it will do, and where it is while it runs. */
export function RunSection({ info, result }: { info: LabInfo; result: NginxConfigResult }) {
  const session = useLabStore((s) => s.sessionId);
  const run = useNginxConfigStore((s) => s.run);
  const skipQuiet = useNginxConfigStore((s) => s.skipQuiet);
  const set = useNginxConfigStore((s) => s.set);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (run.phase !== 'quiet') return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [run.phase]);

  const plan = result.run;
  if (!plan) return <p className="hint">Nothing in this config proxies (no proxy_pass), so there is nothing to run through.</p>;
  const busy = run.phase !== 'idle' && run.phase !== 'done' && run.phase !== 'failed';
  const steps = [
    `open a WebSocket from this page to ${plan.url}`,
    'send one message and wait for its echo',
    ...(plan.idleMs !== undefined && !skipQuiet ? [`stay quiet for ${seconds(plan.idleMs)} to see proxy_read_timeout act`] : []),
    'close with 1000',
    ...(plan.plainRequest ? ['send a plain GET through the same location'] : []),
  ];
  return (
    <section className="config-run" aria-labelledby="config-run-heading">
      <h3 id="config-run-heading">Run through it</h3>
      <p>
        Reaches {plan.location.text} (line {plan.location.line}) at <code>{plan.path}</code>: the run will {steps.join(', then ')}.
      </p>
      {plan.idleMs !== undefined && (
        <label className="check">
          <input type="checkbox" checked={skipQuiet} disabled={busy} onChange={(e) => set({ skipQuiet: e.target.checked })} />
          Skip the quiet wait (proxy_read_timeout stays untested)
        </label>
      )}
      <button type="button" className="primary" disabled={busy || session === null} onClick={() => session && void runConfig(session, info, result)}>
        Run through this config
      </button>
      {busy && run.phase === 'quiet' ? (
        <progress max={run.totalMs} value={Math.min(run.totalMs, now - run.startedAt)} aria-label="Quiet wait" />
      ) : busy ? (
        <progress aria-label="Running" />
      ) : null}
      <p role="status" aria-live="polite">
        {phaseText(run, now)}
      </p>
      {run.phase === 'failed' && <ErrorText>{run.error}</ErrorText>}
      <p className="hint">
        From a terminal: <code>npx wscat -c '{plan.url}'</code>, then judge it with{' '}
        <code>GET /api/nginx-configs/{result.id}/verdicts?session=default&amp;conn=…</code>
      </p>
    </section>
  );
}
