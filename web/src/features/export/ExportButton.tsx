import { useState } from 'react';
import { errorMessage, getTranscriptBlob, harPath } from '../../api/client.ts';

/**
 * **Export**: the session as the lab's transcript (JSON, the same format the lab streams; Open…
 * reads it back), or as HAR 1.2 with Chrome's WebSocket fields for Chrome DevTools and HTTP Toolkit.
 */
export function ExportButton({ session }: { session: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const saveTranscript = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await getTranscriptBlob(session);
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `ws-upgrade-lab-${session}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      // Revoke later: some browsers read the URL after click() returns.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      document.getElementById('export-menu')?.hidePopover();
    } catch (e) {
      setError(`Export failed: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export">
      <button type="button" popoverTarget="export-menu" aria-haspopup="dialog" title="Save this session as a file">
        Export <span aria-hidden="true">▾</span>
      </button>
      <div id="export-menu" popover="auto" role="dialog" aria-labelledby="export-menu-heading" className="popover export-menu">
        <h2 id="export-menu-heading">Export this session</h2>
        <p className="row">
          <button type="button" onClick={() => void saveTranscript()} disabled={busy}>
            Transcript (.json)
          </button>
          <span className="hint">every hop, every frame; Open… reads it back</span>
        </p>
        <p className="row">
          <a className="button-link" href={harPath(session)} download={`ws-upgrade-lab-${session}.har`} onClick={() => document.getElementById('export-menu')?.hidePopover()}>
            HAR 1.2 (.har)
          </a>
          <span className="hint">the browser’s side, with Chrome’s WebSocket messages: opens in Chrome DevTools and HTTP Toolkit</span>
        </p>
      </div>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
