import type { ConnectionMeta } from '../../../../server/src/transcript/types.ts';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import { errorMessage } from '../../api/client.ts';
import { newConnectionId } from '../../store/connect-form-slice.ts';
import { useLabStore } from '../../store/index.ts';
import { browserSocket, closeBrowserSocket, openBrowserSocket, sendOnBrowserSocket } from '../connect/browser-sockets.ts';
import { buildWebSocketUrl, labHost, parseSubprotocols, routeOptions, type RouteOption } from '../connect/url.ts';

/** How long to wait for the echo of the message before closing anyway. */
const ECHO_WAIT_MS = 2_000;
/** A side that neither opens nor fails by then is left as it is. */
const GIVE_UP_MS = 15_000;

export const COMPARE_CLOSE = { code: 1000, reason: 'compare' } as const;

/** The routes a run can compare with direct: every reverse-proxy and nginx preset. */
export function compareRoutes(info: LabInfo): RouteOption[] {
  return routeOptions(info).filter((o) => (o.route === 'reverse-proxy' || o.route === 'nginx') && o.upstream === undefined);
}

/** Open, send `message`, wait for its echo, close 1000; resolves when the browser's socket is closed. */
async function exchange(session: string, conn: string, url: string, meta: ConnectionMeta, message: string): Promise<void> {
  const protocols = parseSubprotocols(useLabStore.getState().connectForm.subprotocols);
  await openBrowserSocket({ session, conn, url, protocols, meta });
  const ws = browserSocket(conn);
  if (!ws) return;
  await new Promise<void>((resolve) => {
    const giveUp = setTimeout(resolve, GIVE_UP_MS);
    let closeTimer: ReturnType<typeof setTimeout> | undefined;
    const close = () => {
      clearTimeout(closeTimer);
      if (ws.readyState === WebSocket.OPEN) closeBrowserSocket(conn, COMPARE_CLOSE.code, COMPARE_CLOSE.reason);
    };
    ws.addEventListener('open', () => {
      if (ws.readyState === WebSocket.OPEN) sendOnBrowserSocket(conn, message);
      closeTimer = setTimeout(close, ECHO_WAIT_MS);
    });
    ws.addEventListener('message', close, { once: true });
    ws.addEventListener('close', () => {
      clearTimeout(giveUp);
      clearTimeout(closeTimer);
      resolve();
    });
  });
}

/**
 * One click: the same exchange (the Connect form's echo parameters and subprotocols, one
 * message, close 1000) directly and through `routeKey`, at the same time, on two new connections.
 */
export async function runCompare(session: string, info: LabInfo, routeKey: string, message: string): Promise<void> {
  const { setCompare, connectForm } = useLabStore.getState();
  const options = routeOptions(info);
  const direct = options.find((o) => o.route === 'direct')!;
  const proxied = options.find((o) => o.key === routeKey);
  if (!proxied || proxied.unavailable !== undefined) {
    setCompare({ error: `Cannot compare through ${routeKey}: ${proxied?.unavailable ?? 'this lab has no such route.'}` });
    return;
  }
  const host = labHost(info);
  const sides = [direct, proxied].map((option) => {
    const conn = newConnectionId();
    const url = buildWebSocketUrl(option, connectForm, host, session, conn);
    const meta: ConnectionMeta = option.preset === undefined ? { url, route: option.route } : { url, route: option.route, preset: option.preset };
    return { conn, url, meta };
  });
  setCompare({ left: sides[0]!.conn, right: sides[1]!.conn, running: true, error: null });
  try {
    await Promise.all(sides.map((s) => exchange(session, s.conn, s.url, s.meta, message)));
  } catch (error) {
    setCompare({ error: `The compare run failed in this page: ${errorMessage(error)}` });
  } finally {
    setCompare({ running: false });
  }
}
