import { closeCodeName } from '../../../../server/src/shared/close-codes.ts';
import { errorMessage } from '../../api/client.ts';
import { utf8Length } from '../../components/bytes.ts';

/** The browser's own words, quoted: they differ between browsers, the rule behind them does not. */
function browserSaid(error: DOMException): string {
  return `The browser said: “${error.message}”`;
}

/** Plain words for the DOMExceptions `WebSocket.close(code, reason)` throws (WHATWG WebSockets, close()). */
export function explainCloseError(error: unknown, code: number | undefined, reason: string): string {
  if (error instanceof DOMException && error.name === 'InvalidAccessError') {
    return (
      `The browser refused close(${code ?? ''}) with InvalidAccessError: a page may only send 1000 or 3000–4999` +
      `${code === undefined ? '' : `, and ${code} means “${closeCodeName(code)}”`}. Nothing was sent. ${browserSaid(error)}`
    );
  }
  if (error instanceof DOMException && error.name === 'SyntaxError') {
    return (
      `The browser refused the reason with SyntaxError: it is ${utf8Length(reason)} bytes of UTF-8 and a close frame has room ` +
      `for 123 (a control frame carries at most 125 payload bytes, 2 of them the code: RFC 6455 §5.5). Nothing was sent. ${browserSaid(error)}`
    );
  }
  return errorMessage(error);
}

/** '' → no code; otherwise the number the user typed, or an error message. */
export function parseCode(text: string): { code: number | undefined } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { code: undefined };
  if (!/^\d+$/.test(trimmed)) return { error: `“${trimmed}” is not a close code: a close code is a whole number such as 1000 or 4000.` };
  return { code: Number(trimmed) };
}
