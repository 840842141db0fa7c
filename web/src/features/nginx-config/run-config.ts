import type { LabInfo, NginxConfigResult } from '../../../../server/src/api/types.ts';
import type { ConnectionMeta } from '../../../../server/src/transcript/types.ts';
import { errorMessage } from '../../api/client.ts';
import { newConnectionId } from '../../store/connect-form-slice.ts';
import { browserSocket, closeBrowserSocket, openBrowserSocket, sendOnBrowserSocket } from '../connect/browser-sockets.ts';
import { labHost } from '../connect/url.ts';
import { getVerdicts } from './api.ts';
import { useNginxConfigStore } from './store.ts';

/** A WebSocket that neither opens nor fails by then is given up on. */
const GIVE_UP_MS = 15_000;
const ECHO_WAIT_MS = 3_000;
export const RUN_MESSAGE = 'hello through your nginx config';
export const RUN_CLOSE = { code: 1000, reason: 'run done' } as const;

const setRun = (run: ReturnType<typeof useNginxConfigStore.getState>['run']) => useNginxConfigStore.getState().set({ run });

function query(params: [string, string][]): string {
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** Open; send one message and wait for it back; stay quiet for `quietMs` unless nginx closes first; close 1000. */
async function exchange(conn: string, ws: WebSocket, quietMs: number | undefined): Promise<void> {
  await new Promise<void>((resolve) => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    const later = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));
    const close = () => {
      if (ws.readyState !== WebSocket.OPEN) return;
      setRun({ phase: 'closing', conn });
      closeBrowserSocket(conn, RUN_CLOSE.code, RUN_CLOSE.reason);
    };
    const quiet = () => {
      if (quietMs === undefined || ws.readyState !== WebSocket.OPEN) return close();
      setRun({ phase: 'quiet', conn, startedAt: Date.now(), totalMs: quietMs });
      later(quietMs, close);
    };
    later(GIVE_UP_MS + (quietMs ?? 0), resolve);
    ws.addEventListener('open', () => {
      setRun({ phase: 'echo', conn });
      sendOnBrowserSocket(conn, RUN_MESSAGE);
      later(ECHO_WAIT_MS, quiet);
    });
    ws.addEventListener('message', () => {
      timers.forEach(clearTimeout);
      timers.length = 0;
      later(GIVE_UP_MS + (quietMs ?? 0), resolve);
      quiet();
    }, { once: true });
    ws.addEventListener('close', () => {
      timers.forEach(clearTimeout);
      resolve();
    });
  });
}

/**
 * The Run button: a real upgrade from this page through the pasted config (filed as a
 * connection of the session, like any other), a plain GET through the same location when a
 * pitfall needs one, then each pitfall judged by what the hops recorded.
 */
export async function runConfig(session: string, info: LabInfo, result: NginxConfigResult): Promise<void> {
  const plan = result.run;
  if (!plan || result.id === undefined || info.ports.nginx === undefined) return;
  const { skipQuiet } = useNginxConfigStore.getState();
  const conn = newConnectionId();
  const host = labHost(info);
  const params: [string, string][] = [['lab', session], ['conn', conn], ['nginx-config', result.id]];
  if (plan.heartbeatMs !== undefined) params.push(['heartbeat', String(plan.heartbeatMs)]);
  const url = `ws://${host}:${info.ports.nginx}${plan.path}?${query(params)}`;
  const meta: ConnectionMeta = { url, route: 'nginx', ...(result.preset ? { preset: result.preset } : {}) };
  setRun({ phase: 'connecting', conn });
  try {
    await openBrowserSocket({ session, conn, url, protocols: [], meta });
    const ws = browserSocket(conn);
    if (ws) await exchange(conn, ws, skipQuiet ? undefined : plan.idleMs);
    const plain = plan.plainRequest ? `${conn}-plain` : undefined;
    if (plain) {
      setRun({ phase: 'plain', conn });
      // A page may send a plain GET anywhere; it cannot read the answer (no CORS), but the hops record it.
      await fetch(`http://${host}:${info.ports.nginx}${plan.path}?${query([['lab', session], ['conn', plain], ['nginx-config', result.id]])}`, { mode: 'no-cors', cache: 'no-store' }).catch(() => undefined);
    }
    setRun({ phase: 'judging', conn });
    // The echo server files its side of the close a moment after the browser's.
    await new Promise((r) => setTimeout(r, 300));
    const judged = await getVerdicts(result.id, session, conn, plain);
    setRun({ phase: 'done', conn, verdicts: judged.verdicts });
  } catch (error) {
    setRun({ phase: 'failed', conn, error: `The run did not finish: ${errorMessage(error)}` });
  }
}
