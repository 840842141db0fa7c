import { useEffect } from 'react';
import { createSession, errorMessage } from '../../api/client.ts';
import { useLabStore } from '../../store/index.ts';

// One creation per page load, even when React runs effects twice (StrictMode).
let pending: Promise<string> | undefined;

/** A new session from `POST /api/sessions`; the page URL follows the store (features/navigation). */
export function startNewSession(): Promise<void> {
  const { setSession, setSessionError } = useLabStore.getState();
  pending = createSession();
  return pending.then(
    (id) => setSession(id),
    (error: unknown) => setSessionError(`Could not create a session: ${errorMessage(error)}`),
  );
}

/** The session the page URL named (restored before the first render), or a new one. */
export function useSessionBootstrap(): void {
  useEffect(() => {
    if (useLabStore.getState().sessionId) return;
    if (!pending) void startNewSession();
  }, []);
}
