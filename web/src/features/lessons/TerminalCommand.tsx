import type { LabInfo } from '../../../../server/src/api/types.ts';
import { curlCommand, terminalRequest } from '../../lessons/terminal.ts';
import type { Action } from '../../lessons/types.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { labHost } from '../connect/url.ts';

/** The handshake a page cannot send, as a command to paste into a terminal; the lab files it under this lesson. */
export function TerminalCommand({ action, info, session, conn, recorded }: { action: Extract<Action, { do: 'terminal' }>; info: LabInfo; session: string; conn: string; recorded: boolean }) {
  let command: string;
  try {
    command = curlCommand(terminalRequest(action, { host: labHost(info), ports: info.ports, session, conn }));
  } catch (error) {
    return <p className="error">{error instanceof Error ? error.message : String(error)}</p>;
  }
  return (
    <div className="lesson-terminal">
      <p>
        Run this in a terminal{recorded ? '' : ' (the lab is waiting for its request)'}:{' '}
        <CopyButton what="the terminal command" label="Copy command" text={command} />
      </p>
      <pre className="wire command" role="group" tabIndex={0} aria-label="Terminal command">
        {command}
      </pre>
      {recorded && <p className="hint">Received: the lab recorded it as {conn}.</p>}
    </div>
  );
}
