import { useState } from 'react';
import { errorMessage, getTranscriptBlob } from '../../api/client.ts';

/** Saves `GET /api/sessions/:session/transcript` as a JSON file: the same format the lab streams. */
export function ExportButton({ session }: { session: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
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
    } catch (e) {
      setError(`Export failed: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export">
      <button type="button" onClick={() => void onClick()} disabled={busy} aria-label="Export transcript" title="Save this session's transcript as a JSON file">
        Export
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
