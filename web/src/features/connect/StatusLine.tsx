import { useLabStore } from '../../store/index.ts';

/** What the page is doing or just did, announced politely; a progress bar while connecting. */
export function StatusLine() {
  const status = useLabStore((s) => s.status);
  return (
    <div className={`status-line status-${status.tone}`}>
      {status.step && status.tone === 'busy' && (
        <progress value={status.step[0]} max={status.step[1]} aria-label="Connecting">
          step {status.step[0]} of {status.step[1]}
        </progress>
      )}
      <p role="status" aria-live="polite" title={status.text}>
        {/* Only while connecting: once open, "Step 3 of 3" would read like a lesson's step. */}
        {status.step && status.tone === 'busy' && <span className="step">Step {status.step[0]} of {status.step[1]}: </span>}
        {status.text}
      </p>
    </div>
  );
}
