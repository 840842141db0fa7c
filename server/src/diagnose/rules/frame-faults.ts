// After the 101: frames a server must never send, seen by the passive decoder on the way to
// the browser, and a TCP connection the server ended without a closing handshake. Client-side
// violations are answered by ws with a close code; close-codes.ts explains those.
import type { ErrorEvent, FrameEvent } from '../../transcript/types.ts';
import { headerValue } from '../../wire/http-head.ts';
import type { DiagnoseContext, LegView } from '../context.ts';
import { andBrowser, clientFailed, NameOf, nameOf } from '../facts.ts';
import type { Rule } from '../rule.ts';
import { idleCut } from './idle.ts';

/** Legs nearest the echo server first, so the hop that produced a frame is found before those that relayed it. */
function legsFromServer(ctx: DiagnoseContext): LegView[] {
  const rank = (leg: LegView) => (leg.observer === 'echo' ? -100 : -ctx.hops.indexOf(leg.server));
  return [...ctx.legs].sort((a, b) => rank(a) - rank(b));
}

export function firstFrameToClient(ctx: DiagnoseContext, match: (frame: FrameEvent, leg: LegView) => boolean) {
  for (const leg of legsFromServer(ctx)) {
    const frame = leg.frames.find((f) => f.to === leg.client && match(f, leg));
    if (frame) return { leg, frame };
  }
  return undefined;
}

function firstErrorToClient(ctx: DiagnoseContext, match: (error: ErrorEvent) => boolean) {
  for (const leg of legsFromServer(ctx)) {
    const error = leg.errors.find((e) => e.to === leg.client && match(e));
    if (error) return { leg, error };
  }
  return undefined;
}

const extensionsOf = (leg: LegView) => headerValue(leg.response?.headers ?? [], 'sec-websocket-extensions');
export const opcodeName = (opcode: number) => ({ 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' })[opcode] ?? `opcode 0x${opcode.toString(16)}`;

export const serverMaskedFrame: Rule = {
  id: 'server-masked-frame',
  kind: 'cause',
  applies(ctx) {
    const found = firstFrameToClient(ctx, (f) => f.masked);
    if (!found) return undefined;
    const { frame } = found;
    return {
      rule: 'server-masked-frame',
      at: frame.from,
      summary: `${NameOf(ctx, frame.from)} sent a masked ${opcodeName(frame.opcode)} frame (mask key ${frame.maskKey ?? '?'}); servers must not mask, ${clientFailed(ctx)}${andBrowser(ctx)}.`,
      why:
        'Masking exists to stop a page from steering bytes through a broken intermediary cache; only the client, whose bytes a page controls, ' +
        'masks. RFC 6455 §5.1 has the client close the connection on any masked frame from the server; Chrome says "A server must not mask ' +
        'any frames that it sends to the client."',
      reference: 'RFC 6455 §5.1, §5.3, §10.3',
      fix: 'Send server frames with the MASK bit clear and no masking key.',
    };
  },
};

export const rsvWithoutExtension: Rule = {
  id: 'rsv-without-extension',
  kind: 'cause',
  applies(ctx) {
    const found = firstFrameToClient(ctx, (f, leg) => {
      const deflate = /permessage-deflate/i.test(extensionsOf(leg) ?? '');
      return f.rsv2 || f.rsv3 || (f.rsv1 && (!deflate || f.opcode === 0 || f.opcode >= 8));
    });
    if (!found) return undefined;
    const { frame, leg } = found;
    const bits = [frame.rsv1 && 'RSV1', frame.rsv2 && 'RSV2', frame.rsv3 && 'RSV3'].filter(Boolean).join(', ');
    const negotiated = extensionsOf(leg);
    return {
      rule: 'rsv-without-extension',
      at: frame.from,
      summary: `${NameOf(ctx, frame.from)} sent a ${opcodeName(frame.opcode)} frame with ${bits} set although ${negotiated ? `only "${negotiated}" was negotiated` : 'no extension was negotiated'}, ${clientFailed(ctx)}${andBrowser(ctx)}.`,
      why:
        'The RSV bits belong to extensions agreed in the handshake: permessage-deflate uses RSV1 on the first frame of a compressed data ' +
        'message, and nothing defines RSV2 or RSV3. With no such agreement the receiver cannot know what the bit means, so RFC 6455 §5.2 ' +
        `has it fail the connection. Chrome says "One or more reserved bits are on: reserved1 = ${Number(frame.rsv1)}, reserved2 = ${Number(frame.rsv2)}, ` +
        `reserved3 = ${Number(frame.rsv3)}".`,
      reference: 'RFC 6455 §5.2, §9; RFC 7692 §6',
      fix: 'Set RSV bits only for an extension the 101\'s Sec-WebSocket-Extensions agreed to.',
    };
  },
};

export const serverInvalidUtf8: Rule = {
  id: 'server-invalid-utf8',
  kind: 'cause',
  applies(ctx) {
    const found = firstErrorToClient(ctx, (e) => e.code === 'INVALID_UTF8' && !/close reason/i.test(e.message));
    if (!found) return undefined;
    const { error } = found;
    return {
      rule: 'server-invalid-utf8',
      at: error.from,
      summary: `${NameOf(ctx, error.from)} sent a text message that is not valid UTF-8, ${clientFailed(ctx)}${andBrowser(ctx)}.`,
      why:
        'Text frames must carry UTF-8 (RFC 6455 §5.6); a receiver that finds otherwise fails the connection (§8.1), and 1007 (invalid ' +
        'payload data) is the code meant for it. Chrome says "Could not decode a text frame as UTF-8", sends 1002 in its own close ' +
        'frame, and reports 1006 to the page. Binary frames are the way to send arbitrary bytes.',
      reference: 'RFC 6455 §5.6, §8.1, §7.4.1 (1007)',
      fix: 'Send arbitrary bytes as binary frames; encode strings as UTF-8 before sending them as text.',
    };
  },
};

export const serverControlTooLong: Rule = {
  id: 'server-control-frame-too-long',
  kind: 'cause',
  applies(ctx) {
    const found = firstFrameToClient(ctx, (f) => f.opcode >= 8 && f.length > 125);
    if (!found) return undefined;
    const { frame } = found;
    return {
      rule: 'server-control-frame-too-long',
      at: frame.from,
      summary: `${NameOf(ctx, frame.from)} sent a ${opcodeName(frame.opcode)} frame carrying ${frame.length} bytes, more than the 125 a control frame may hold, ${clientFailed(ctx)}${andBrowser(ctx)}.`,
      why:
        'Control frames (close, ping, pong) are capped at 125 bytes so that they always fit in the 7-bit length and can be handled ' +
        'between the fragments of a large message; a longer one is a protocol error (1002).',
      reference: 'RFC 6455 §5.5',
      fix: 'Keep ping, pong and close payloads at 125 bytes or fewer; send larger data as a data message.',
    };
  },
};

export const tcpCloseWithoutCloseFrame: Rule = {
  id: 'tcp-close-without-close-frame',
  kind: 'cause',
  applies(ctx) {
    const echo = ctx.echo;
    if (!echo || echo.response?.status !== 101 || !echo.close || echo.close.wasClean) return undefined;
    if (echo.closeFrames.toClient.length > 0 || echo.closeFrames.toServer.length > 0) return undefined;
    // The browser must have accepted the 101: a client that rejects one drops TCP itself.
    if (!ctx.browser.open || ctx.browser.close?.code !== 1006) return undefined;
    // With a proxy in between, its idle timeout cuts the tunnel the same way: idle.ts explains that one.
    if (ctx.proxies.some((proxy) => idleCut(ctx, proxy))) return undefined;
    const resets = ctx.socketErrors.filter((e) => e.observer === 'echo');
    if (resets.length > 0) return undefined; // a reset from the peer: the client went away, not the server
    return {
      rule: 'tcp-close-without-close-frame',
      at: 'echo',
      summary: `${NameOf(ctx, 'echo')} closed the TCP connection without sending a close frame, so ${nameOf(ctx, 'browser')} reports 1006 with wasClean false.`,
      why:
        'An endpoint should close TCP only after the closing handshake: a close frame each way (RFC 6455 §7.1.1, §7.1.2). With no close frame ' +
        'the browser has no code to report, so it reports 1006, a code reserved for exactly this that never appears on the wire (§7.1.5, §7.4.1). ' +
        'A crash, a terminate() instead of close(), or an idle timeout in front of the server look like this.',
      reference: 'RFC 6455 §7.1.1, §7.1.5, §7.4.1',
      fix: 'End sessions with ws.close(code, reason) and let the closing handshake finish; keep terminate() for peers that stopped answering.',
    };
  },
};

export const FRAME_FAULT_RULES: readonly Rule[] = [
  serverMaskedFrame,
  rsvWithoutExtension,
  serverInvalidUtf8,
  serverControlTooLong,
  tcpCloseWithoutCloseFrame,
];
