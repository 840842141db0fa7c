import { errorMessage } from '../../api/client.ts';
import { utf8Length } from '../../components/bytes.ts';
import { formatCount } from '../../components/format.ts';
import { useLabStore } from '../../store/index.ts';
import { closeBrowserSocket, sendOnBrowserSocket } from '../connect/browser-sockets.ts';
import { explainCloseError } from './close-errors.ts';

// What the composer's Send and Close buttons do, for the composer and for a lesson's steps alike:
// the same call on the page's socket, the same notice under the composer.

/** Sends a text message on the page's socket; says so under the composer, or why not. */
export function sendTextFromPage(conn: string, text: string): boolean {
  const setNotice = useLabStore.getState().setComposerNotice;
  try {
    sendOnBrowserSocket(conn, text);
    setNotice({ tone: 'info', text: `Sent a text message of ${formatCount(utf8Length(text))} bytes on ${conn}.` });
    return true;
  } catch (error) {
    setNotice({ tone: 'error', text: errorMessage(error) });
    return false;
  }
}

/** `WebSocket.close(code, reason)` on the page's socket; a refusal is explained, and its DOMException's name returned. */
export function closeFromPage(conn: string, code: number | undefined, reason: string): { refused?: string } {
  const setNotice = useLabStore.getState().setComposerNotice;
  try {
    closeBrowserSocket(conn, code, reason);
    setNotice({ tone: 'info', text: `The browser sent its close frame on ${conn}; waiting for the server's.` });
    return {};
  } catch (error) {
    setNotice({ tone: 'error', text: explainCloseError(error, code, reason) });
    return { refused: error instanceof DOMException ? error.name : 'Error' };
  }
}
