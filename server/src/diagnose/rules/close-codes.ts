// How the connection ended: who started the closing handshake and with which code, what ws
// answered a client's protocol error with, and whether the code the browser reports is the
// one that travelled on the wire. 1006 and 1005 never travel: the browser makes them up.
import type { ErrorEvent, FrameEvent, Party } from '../../transcript/types.ts';
import type { DiagnoseContext, LegView } from '../context.ts';
import { andBrowser, describeCode, NameOf, nameOf } from '../facts.ts';
import type { Rule } from '../rule.ts';
import { LOCAL_ONLY_CODES } from './reserved.ts';

/** What each ws receiver error means, in RFC terms. */
const WS_ERRORS: Record<string, { what: string; section: string }> = {
  WS_ERR_EXPECTED_MASK: { what: 'sent an unmasked frame; every client frame must be masked', section: 'RFC 6455 §5.1, §5.3' },
  WS_ERR_UNEXPECTED_MASK: { what: 'sent a masked frame; server frames must not be masked', section: 'RFC 6455 §5.1' },
  WS_ERR_INVALID_UTF8: { what: 'sent text that is not valid UTF-8', section: 'RFC 6455 §5.6, §8.1' },
  WS_ERR_INVALID_OPCODE: { what: 'sent a frame with a reserved opcode', section: 'RFC 6455 §5.2' },
  WS_ERR_UNEXPECTED_RSV_1: { what: 'set RSV1 without a negotiated extension', section: 'RFC 6455 §5.2; RFC 7692 §6' },
  WS_ERR_UNEXPECTED_RSV_2_3: { what: 'set RSV2 or RSV3, which no extension defines here', section: 'RFC 6455 §5.2' },
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: { what: 'sent a control frame over 125 bytes', section: 'RFC 6455 §5.5' },
  WS_ERR_EXPECTED_FIN: { what: 'fragmented a control frame', section: 'RFC 6455 §5.5' },
  WS_ERR_INVALID_CLOSE_CODE: { what: 'sent a close code that may not appear on the wire', section: 'RFC 6455 §7.4' },
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: { what: 'sent a message larger than the server accepts', section: 'RFC 6455 §7.4.1 (1009)' },
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: { what: 'sent a frame longer than the server can handle', section: 'RFC 6455 §7.4.1 (1009)' },
};

/** The close code a decode error message carries: "… (close code 1002)". */
export function closeCodeIn(error: ErrorEvent): number | undefined {
  const match = /\(close code (\d{4})\)/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

const wireCode = (frame: FrameEvent) => frame.close?.code ?? 1005;
const quoteReason = (frame: FrameEvent) => (frame.close?.reason ? ` "${frame.close.reason}"` : '');

/** The first close frame on the echo server's leg, and whether the echo server sent it first. */
function firstClose(ctx: DiagnoseContext): { frame: FrameEvent; byServer: boolean } | undefined {
  const echo = ctx.echo;
  if (!echo) return undefined;
  const frame = [...echo.closeFrames.toClient, ...echo.closeFrames.toServer].sort((a, b) => a.seq - b.seq)[0];
  return frame && { frame, byServer: frame.from === 'echo' };
}

export const clientProtocolError: Rule = {
  id: 'client-protocol-error',
  kind: 'cause',
  applies(ctx) {
    const first = firstClose(ctx);
    const error = ctx.wsErrors.find((e) => e.observer === 'echo');
    // ws sends its close frame before it emits 'error', so the error is filed just after the frame.
    if (!first?.byServer || !error) return undefined;
    const known = WS_ERRORS[error.code];
    const client = ctx.echo?.client ?? 'browser';
    const code = wireCode(first.frame);
    const seen = ctx.decodeErrors.find((e) => e.to === 'echo' && e.seq < first.frame.seq);
    return {
      rule: 'client-protocol-error',
      at: client,
      summary: `The client ${known?.what ?? `broke the protocol (${error.code})`}, so ws in the echo server closed the connection with ${describeCode(code)}${andBrowser(ctx)}.`,
      why:
        `ws reported ${error.code} (${error.message.replace(/^ws: /, '')}) and failed the connection as RFC 6455 §7.1.7 asks: it sent a close ` +
        `frame with ${code} and closed TCP. ` +
        (seen ? `The lab's own decoder saw the same frame: ${seen.code}. ` : '') +
        (client === 'browser' ? 'Browsers never send such frames, so the client here is hand-written (or a proxy altered the frame).' : `The frame came through ${nameOf(ctx, client)}.`),
      reference: `${known?.section ?? 'RFC 6455 §5'}; RFC 6455 §7.1.7, §7.4.1`,
      fix: 'Fix the client\'s framing: a WebSocket library (ws, or any browser) gets masking, opcodes and UTF-8 right.',
    };
  },
};

export const serverInitiatedClose: Rule = {
  id: 'server-initiated-close',
  kind: 'note',
  applies(ctx) {
    const first = firstClose(ctx);
    if (!first?.byServer) return undefined;
    if (ctx.wsErrors.some((e) => e.observer === 'echo')) return undefined; // clientProtocolError explains it
    if (ctx.echo && errorsAbout(ctx.echo, first.frame).length > 0) return undefined; // a broken close frame: close-code-mismatch explains it
    const code = wireCode(first.frame);
    const browser = ctx.browser.close;
    return {
      rule: 'server-initiated-close',
      at: 'echo',
      summary:
        `${NameOf(ctx, 'echo')} started the closing handshake with ${describeCode(code)}${quoteReason(first.frame)}` +
        (browser ? `; the browser reports ${browser.code} with wasClean ${browser.wasClean}.` : '.'),
      why:
        'Either side may close; the side that sends the first close frame chooses the code and reason, and the other answers with a close ' +
        'frame of its own before the server ends TCP (RFC 6455 §7.1.2, §5.5.1). A browser passes that code and reason to the page in ' +
        'its CloseEvent, so they are the place to say why: 1000 for done, 1001 for going away, 1008 or 4000–4999 for application reasons.',
      reference: 'RFC 6455 §5.5.1, §7.1.2, §7.4',
    };
  },
};

/** Errors the decoder recorded about `frame`: reported just before the frame itself, after the previous frame that way. */
function errorsAbout(leg: LegView, frame: FrameEvent): ErrorEvent[] {
  const previous = leg.frames.filter((f) => f.to === frame.to && f.seq < frame.seq).at(-1)?.seq ?? 0;
  return leg.errors.filter((e) => e.to === frame.to && e.seq > previous && e.seq < frame.seq);
}

/** A code a page's script may pass to close(): any other code from the browser means it failed the connection itself. */
const scriptCode = (code: number | undefined) => code === 1000 || (code !== undefined && code >= 3000 && code <= 4999);

export const closeCodeMismatch: Rule = {
  id: 'close-code-mismatch',
  kind: 'cause',
  applies(ctx) {
    const browser = ctx.browser.close;
    if (!browser) return undefined;
    const firstHop: Party | undefined = ctx.hops[1];
    const toBrowser = ctx.legs.find((l) => l.client === 'browser' && l.observer === firstHop);
    const frame = toBrowser?.closeFrames.toClient[0];
    if (!toBrowser || !frame || wireCode(frame) === browser.code) return undefined;
    // A code that may never travel: reserved-close-code explains it.
    if (LOCAL_ONLY_CODES.has(frame.close?.code ?? 0)) return undefined;
    // The browser failed the connection before any close frame reached it: the rules about that failure explain its 1006.
    const fromBrowser = toBrowser.closeFrames.toServer[0];
    if (fromBrowser && fromBrowser.seq < frame.seq && !scriptCode(fromBrowser.close?.code)) return undefined;
    const code = wireCode(frame);
    // Did a proxy deliver a different code than the echo server sent?
    const fromEcho = ctx.echo?.closeFrames.toClient[0];
    const rewrittenBy = fromEcho && firstHop !== 'echo' && wireCode(fromEcho) !== code ? firstHop : undefined;
    const broken = errorsAbout(toBrowser, frame)[0];
    return {
      rule: 'close-code-mismatch',
      at: rewrittenBy ?? (broken ? frame.from : 'browser'),
      summary: `The close frame ${nameOf(ctx, frame.from)} sent to the browser carries ${describeCode(code)}${quoteReason(frame)}, but the browser reports ${describeCode(browser.code)}.`,
      why:
        'A CloseEvent carries the code of the close frame the browser received (RFC 6455 §7.1.5); a different code means the browser did ' +
        'not accept that frame. ' +
        (broken
          ? `The frame itself broke the protocol (${broken.code}: ${broken.message}), so the browser failed the connection instead, and a failed connection reports 1006.`
          : rewrittenBy
            ? `${NameOf(ctx, 'echo')} sent ${wireCode(fromEcho!)}, and ${nameOf(ctx, rewrittenBy)} forwarded ${code}.`
            : 'It failed the connection for a reason of its own, or the frame arrived after it had already given up.'),
      reference: 'RFC 6455 §7.1.5, §7.1.7, §7.4.1',
      ...(broken ? { fix: 'Send only codes RFC 6455 §7.4 allows on the wire (1000–1003, 1007–1014, 3000–4999) with a UTF-8 reason.' } : {}),
    };
  },
};

/** A decode error no cause above accounts for, said in the decoder's words. */
export const frameProtocolViolation: Rule = {
  id: 'frame-protocol-violation',
  kind: 'fallback',
  applies(ctx) {
    if (ctx.causes.length > 0) return undefined;
    const error = ctx.decodeErrors.find((e) => !['NOT_HTTP', 'HEAD_TOO_LARGE', 'BAD_REQUEST_LINE', 'BAD_HEADER_LINE', 'OBSOLETE_LINE_FOLDING'].includes(e.code));
    if (!error) return undefined;
    const code = closeCodeIn(error);
    return {
      rule: 'frame-protocol-violation',
      at: error.from,
      summary: `${NameOf(ctx, error.from)} sent a frame that breaks RFC 6455 (${error.code})${andBrowser(ctx)}.`,
      why:
        `${NameOf(ctx, error.observer)}'s tap recorded: ${error.message.replace(/\.$/, '')}.` +
        (code ? ` A receiver that follows the RFC fails the connection and may say why with close code ${describeCode(code)}.` : '') +
        ' The lab decodes passively, so it records the violation without closing anything; the endpoints decide.',
      reference: 'RFC 6455 §5.2, §5.4, §5.5, §7.1.7',
    };
  },
};

export const abnormalClosure: Rule = {
  id: 'abnormal-closure',
  kind: 'fallback',
  applies(ctx) {
    const close = ctx.browser.close;
    if (close?.code !== 1006 || ctx.causes.length > 0) return undefined;
    // Any hop's record counts: the forward proxy files the tunnelled request on a leg of its own.
    const reached = ctx.legs.some((l) => l.request !== undefined) || ctx.events.some((e) => e.kind === 'connect');
    const upgraded = ctx.echo?.response?.status === 101;
    const context = !reached
      ? 'No hop recorded the request, so it never reached the lab: a wrong host or port, wss:// to a plain port, or something in between answered.'
      : upgraded
        ? 'The handshake succeeded, so the connection was lost afterwards without a close frame reaching the browser.'
        : 'The hops recorded the request but no answer the browser could accept.';
    return {
      rule: 'abnormal-closure',
      at: 'browser',
      summary: 'The connection closed abnormally: the browser reports 1006, and no hop recorded why.',
      why:
        '1006 is never sent on the wire: the browser reports it when the connection ends without a close frame, which includes every failed ' +
        `handshake, and by design it does not tell the page why (RFC 6455 §7.1.5, §7.4.1). ${context}`,
      reference: 'RFC 6455 §7.1.5, §7.4.1; WHATWG WebSockets (fail the WebSocket connection)',
    };
  },
};

export const CLOSE_RULES: readonly Rule[] = [clientProtocolError, serverInitiatedClose, closeCodeMismatch];
export const CLOSE_FALLBACK_RULES: readonly Rule[] = [frameProtocolViolation, abnormalClosure];
