import { useEffect } from 'react';
import { useLabStore } from '../../store/index.ts';

/** What the last copy did, announced politely and cleared after a few seconds. */
export function CopyStatus() {
  const status = useLabStore((s) => s.copyStatus);
  const setCopyStatus = useLabStore((s) => s.setCopyStatus);
  useEffect(() => {
    if (!status) return;
    const t = setTimeout(() => setCopyStatus(null), 4000);
    return () => clearTimeout(t);
  }, [status, setCopyStatus]);
  return (
    <p className={`copy-status${status?.tone === 'error' ? ' error' : ''}`} role="status" aria-live="polite">
      {status?.text ?? ''}
    </p>
  );
}
