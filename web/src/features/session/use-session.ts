import { useEffect } from 'react';
import { createSession, errorMessage } from '../../api/client.ts';
import { useLabStore } from '../../store/index.ts';

/** Where this page's session id lives in the page URL, so a reload keeps it. */
const PARAM = 'session';

function writeSessionToUrl(id: string): void {
  const url = new URL(window.location.href);
  url.searchParams.set(PARAM, id);
  window.history.replaceState(window.history.state, '', url);
}

// One creation per page load, even when React runs effects twice (StrictMode).
let pending: Promise<string> | undefined;

export function startNewSession(): Promise<void> {
  const { setSession, setSessionError } = useLabStore.getState();
  pending = createSession();
  return pending.then(
    (id) => {
      writeSessionToUrl(id);
      setSession(id);
    },
    (error: unknown) => setSessionError(`Could not create a session: ${errorMessage(error)}`),
  );
}

/** `?session=<id>` from the page URL, or a new session from `POST /api/sessions`. */
export function useSessionBootstrap(): void {
  useEffect(() => {
    if (useLabStore.getState().sessionId) return;
    const fromUrl = new URL(window.location.href).searchParams.get(PARAM);
    if (fromUrl) {
      useLabStore.getState().setSession(fromUrl);
      return;
    }
    if (!pending) void startNewSession();
  }, []);
}
