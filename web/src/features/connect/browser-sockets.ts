import type { ConnectionMeta } from '../../../../server/src/transcript/types.ts';
import type { BrowserReport } from '../../../../server/src/api/types.ts';
import { errorMessage, postBrowserReport } from '../../api/client.ts';
import { useLabStore } from '../../store/index.ts';
import { recordAction } from '../scenario/action-log.ts';

interface LiveSocket {
  ws: WebSocket;
  session: string;
  meta: ConnectionMeta;
}

/**
 * This page's open WebSockets by connection id. They are mutable, event-emitting objects,
 * so they stay out of the zustand store; the store only mirrors their phase.
 */
const sockets = new Map<string, LiveSocket>();

export function browserSocket(conn: string): WebSocket | undefined {
  return sockets.get(conn)?.ws;
}

export interface OpenRequest {
  session: string;
  conn: string;
  url: string;
  protocols: string[];
  meta: ConnectionMeta;
}

const STEPS = 3;

async function report(session: string, conn: string, body: BrowserReport): Promise<void> {
  try {
    await postBrowserReport(session, conn, body);
  } catch (error) {
    useLabStore.getState().setStatus({
      tone: 'error',
      text: `The lab did not record the browser's '${body.kind}' event for ${conn}: ${errorMessage(error)}`,
    });
  }
}

/** Registers the connection with the lab, then opens the WebSocket and reports what the browser sees. */
export async function openBrowserSocket({ session, conn, url, protocols, meta }: OpenRequest): Promise<void> {
  const store = useLabStore.getState();
  store.setSocket(conn, { meta, phase: 'connecting' });
  store.selectConnection(conn);
  store.setStatus({ tone: 'busy', step: [1, STEPS], text: `Registering ${conn} with the lab…` });

  try {
    await postBrowserReport(session, conn, { kind: 'start', meta });
    store.addOwned(session, conn);
    recordAction({ do: 'connect', session, conn, url, route: meta.route, ...(meta.preset === undefined ? {} : { preset: meta.preset }), protocols });
  } catch (error) {
    store.patchSocket(conn, { phase: 'closed' });
    store.setStatus({ tone: 'error', text: `${conn} was not opened: the lab refused to register it. ${errorMessage(error)}` });
    return;
  }

  store.setStatus({ tone: 'busy', step: [2, STEPS], text: `Opening ${url} — waiting for 101 Switching Protocols…` });
  let ws: WebSocket;
  try {
    ws = protocols.length > 0 ? new WebSocket(url, protocols) : new WebSocket(url);
  } catch (error) {
    // The constructor throws SyntaxError for a bad URL or subprotocol list (duplicates, separators, empty).
    const name = error instanceof DOMException ? error.name : 'Error';
    const message = `The browser refused to open the WebSocket before sending anything: ${errorMessage(error)}`;
    store.patchSocket(conn, { phase: 'closed' });
    store.setStatus({ tone: 'error', text: message });
    await report(session, conn, { kind: 'error', meta, code: name, message });
    return;
  }
  ws.binaryType = 'arraybuffer';
  sockets.set(conn, { ws, session, meta });

  ws.addEventListener('open', () => {
    useLabStore.getState().patchSocket(conn, { phase: 'open', protocol: ws.protocol, extensions: ws.extensions });
    const details = `protocol “${ws.protocol}”, extensions “${ws.extensions}”`;
    useLabStore.getState().setStatus({ tone: 'info', step: [3, STEPS], text: `${conn} is open: ${details}.` });
    void report(session, conn, { kind: 'open', meta, protocol: ws.protocol, extensions: ws.extensions });
  });

  ws.addEventListener('error', () => {
    const message =
      'The browser fired an error event on the WebSocket. Browsers never say why (by design); ' +
      'what each hop saw is in the Handshake, Frames and Close tabs.';
    useLabStore.getState().setStatus({ tone: 'error', text: `${conn}: ${message}` });
    void report(session, conn, { kind: 'error', meta, code: 'error-event', message });
  });

  ws.addEventListener('close', (event) => {
    sockets.delete(conn);
    const close = { code: event.code, reason: event.reason, wasClean: event.wasClean };
    const state = useLabStore.getState();
    state.patchSocket(conn, { phase: 'closed', close });
    state.setStatus({ tone: event.wasClean ? 'info' : 'error', text: `${conn} closed with code ${close.code} “${close.reason}”, wasClean ${close.wasClean}.` });
    void report(session, conn, { kind: 'close', meta, ...close });
  });
}

/** `WebSocket.close()` on this page's socket; throws the browser's DOMException for a forbidden code or reason. */
export function closeBrowserSocket(conn: string, code: number | undefined, reason: string): void {
  const ws = browserSocket(conn);
  if (!ws) throw new Error(`${conn} has no open WebSocket in this page.`);
  if (code === undefined) ws.close();
  else ws.close(code, reason);
  const session = sockets.get(conn)?.session;
  if (session) recordAction({ do: 'close', session, conn, ...(code === undefined ? {} : { code }), reason });
  if (ws.readyState === WebSocket.CLOSING) useLabStore.getState().patchSocket(conn, { phase: 'closing' });
}

export function sendOnBrowserSocket(conn: string, data: string | Uint8Array<ArrayBuffer>): void {
  const ws = browserSocket(conn);
  if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error(`${conn} is not open in this page, so nothing can be sent on it.`);
  ws.send(data);
  const session = sockets.get(conn)?.session;
  if (!session) return;
  recordAction(typeof data === 'string' ? { do: 'send', session, conn, text: data } : { do: 'send-binary', session, conn, bytes: data.byteLength });
}
