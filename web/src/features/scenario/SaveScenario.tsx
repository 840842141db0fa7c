import { useState } from 'react';
import { errorMessage, getTranscript } from '../../api/client.ts';
import { buildScenario, scenarioName } from '../../scenario/build.ts';
import { lessonSource, specSource } from '../../scenario/sources.ts';
import type { Scenario } from '../../scenario/types.ts';
import { actionsIn } from './action-log.ts';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/typescript' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * "Save as scenario": this session's actions in this tab (connects with their URLs, sends, the echo
 * server's actions, closes) and what the hops observed, as a lesson definition file and a Playwright
 * spec that replays them and asserts the same statuses, close codes and headers at each hop.
 */
export function SaveScenario({ session }: { session: string }) {
  const [name, setName] = useState('my-scenario');
  const [scenario, setScenario] = useState<Scenario | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const prepare = async () => {
    setBusy(true);
    setError(null);
    try {
      const { actions, dropped } = actionsIn(session);
      const built = buildScenario(name, actions, await getTranscript(session), window.location.origin);
      if (dropped > 0) built.skipped.push(`the ${dropped} oldest actions of this tab (it keeps the latest 5000)`);
      setScenario(built);
    } catch (e) {
      setError(`Could not read the session’s transcript: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="options-button" popoverTarget="scenario-dialog" aria-haspopup="dialog" onClick={() => void prepare()}>
        Save as scenario
      </button>
      <div id="scenario-dialog" popover="auto" role="dialog" aria-labelledby="scenario-heading" className="popover scenario-dialog">
        <h2 id="scenario-heading">Save as scenario</h2>
        <p className="hint">What this tab did in this session, and what every hop observed, as a lesson and as a regression test.</p>
        <p className="row">
          <label htmlFor="scenario-name">Name</label>
          <input id="scenario-name" value={name} onChange={(e) => setName(e.target.value)} onBlur={() => void prepare()} />
        </p>
        {busy && <p className="hint">Reading the transcript…</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {scenario && scenario.steps.length === 0 && <p role="status">Nothing to save yet: this tab has not opened a connection in this session.</p>}
        {scenario && scenario.steps.length > 0 && (
          <>
            <p role="status">
              {scenario.connections.length} connection(s), {scenario.steps.length} action(s), {scenario.connections.reduce((n, c) => n + c.expect.length, 0)} observations to assert.
            </p>
            {scenario.skipped.length > 0 && (
              <ul className="hint" aria-label="Left out">
                {scenario.skipped.map((s) => (
                  <li key={s}>Left out: {s}</li>
                ))}
              </ul>
            )}
            <p className="row">
              <button type="button" onClick={() => download(`${scenarioName(name)}.lesson.ts`, lessonSource({ ...scenario, name: scenarioName(name) }))}>
                Download lesson file
              </button>
              <button type="button" className="primary" onClick={() => download(`${scenarioName(name)}.spec.ts`, specSource({ ...scenario, name: scenarioName(name) }))}>
                Download Playwright spec
              </button>
            </p>
            <p className="hint">
              Put the spec in <code>examples/scenarios/</code> of the lab and run <code>npx playwright test -c examples/playwright.config.ts</code>; the lesson goes in{' '}
              <code>web/src/lessons/library/</code> (README: Save as scenario).
            </p>
          </>
        )}
      </div>
    </>
  );
}
