import { memo, useMemo } from 'react';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { reproduceUrl, websocatCommand, wscatCommand } from '../copy/commands.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { LessonMarkNote, useLessonMark } from '../lessons/LessonMarkNote.tsx';
import { usePreset } from './use-connection.ts';

/** The connection itself: the preset it went through (its nginx location), and how to open the same from a terminal. */
/** Drawn again only when what it shows changes: the URL, the preset, the first request. */
const same = (a: { connection: Connection }, b: { connection: Connection }) =>
  a.connection.url === b.connection.url &&
  a.connection.preset === b.connection.preset &&
  a.connection.route === b.connection.route &&
  a.connection.events.find((e) => e.kind === 'request') === b.connection.events.find((e) => e.kind === 'request');

export const ConnectionInfo = memo(function ConnectionInfo({ connection }: { connection: Connection }) {
  const preset = usePreset(connection.preset, connection.route);
  const configOf = connection.route === 'forward-proxy' ? 'proxy (Squid)' : 'nginx';
  const marked = useLessonMark('config') === true;
  // The commands read the URL and the first request only: worked out once, not on every live flush.
  const firstRequest = connection.events.find((e) => e.kind === 'request');
  const commands = useMemo(
    () => ({ websocat: websocatCommand(connection), wscat: wscatCommand(connection), url: reproduceUrl(connection.url) }),
    // `connection` is new on every live flush; the URL and the first request are not.
    [connection.url, firstRequest],
  );
  return (
    <section className="connection-info" aria-labelledby="connection-info-heading">
      <h3 id="connection-info-heading">This connection</h3>
      {preset ? (
        <details className="preset" open data-lesson-mark={marked || undefined}>
          <summary>
            <strong>{preset.name}</strong>: {preset.description}
            {marked && <LessonMarkNote />}
          </summary>
          <p className="row">
            <CopyButton what={`the ${preset.name} ${configOf} configuration`} label="Copy config" text={preset.nginxConfig} />
          </p>
          <pre className="wire" role="group" tabIndex={0} aria-label={`${configOf} configuration for ${preset.name}`}>
            {preset.nginxConfig}
          </pre>
        </details>
      ) : (
        <p className="hint">
          Route <span className="wire">{connection.route}</span>
          {connection.preset ? ` (preset ${connection.preset}, which this lab does not know)` : ': no proxy configuration in the way.'}
        </p>
      )}
      <h4>From a terminal</h4>
      <p className="hint">The same URL, parameters, subprotocols and Origin; the lab files it beside this one in the session.</p>
      <pre className="wire command" role="group" tabIndex={0} aria-label="websocat command">
        {commands.websocat}
      </pre>
      <p className="row">
        <CopyButton what="the websocat command" label="Copy websocat" text={commands.websocat} />
        <CopyButton what="the wscat command" label="Copy wscat" text={commands.wscat} />
        <CopyButton what="the URL for a terminal client" label="Copy URL" text={commands.url} />
      </p>
    </section>
  );
}, same);
