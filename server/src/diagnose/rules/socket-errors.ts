// A socket error at a hop: the TCP connection itself failed (reset, refused, timed out), so no
// close frame could follow. A proxy that could not reach upstream answered the browser itself.
import { andBrowser, NameOf, nameOf } from '../facts.ts';
import type { Rule } from '../rule.ts';
import type { DiagnoseContext } from '../context.ts';
import type { ErrorEvent } from '../../transcript/types.ts';

const SOCKET_ERRORS: Record<string, string> = {
  ECONNRESET: 'the peer reset the TCP connection (RST) instead of closing it',
  EPIPE: 'it wrote to a connection the peer had already closed',
  ETIMEDOUT: 'the TCP connection timed out',
  ECONNREFUSED: 'nothing was listening at the upstream address',
  EHOSTUNREACH: 'the upstream host was unreachable',
  ENOTFOUND: 'the upstream host name did not resolve',
};

function afterPeersCloseFrame(ctx: DiagnoseContext, error: ErrorEvent): boolean {
  const peer = error.observer === error.from ? error.to : error.from;
  const leg = ctx.legs.find((l) => l.errors.includes(error));
  return leg?.frames.some((f) => f.opcode === 0x8 && f.from === peer && f.seq < error.seq) ?? false;
}

export const socketError: Rule = {
  id: 'socket-error',
  kind: 'cause',
  applies(ctx) {
    // A reset after the peer's own close frame is how that peer left: Chromium, failing a
    // connection, sends its close frame and drops TCP without waiting for the answer (RFC 6455
    // §7.1.7), so the reset follows every fault it fails on, or none, by timing alone.
    const error = ctx.socketErrors.find((e) => !afterPeersCloseFrame(ctx, e));
    if (!error) return undefined;
    const peer = error.observer === error.from ? error.to : error.from;
    const meaning = SOCKET_ERRORS[error.code] ?? 'the operating system reported a socket error';
    // A proxy that could not reach upstream answers the browser itself (nginx: 502, or 504 on a timeout).
    const own = ctx.responseSent(error.observer);
    const answered = error.observer !== 'echo' && own && own.status >= 500 ? `, so it answered ${own.status} ${own.reason}` : '';
    return {
      rule: 'socket-error',
      at: error.observer,
      summary: `${NameOf(ctx, error.observer)}'s connection with ${nameOf(ctx, peer)} failed with ${error.code}${answered}${andBrowser(ctx)}.`,
      why: `${error.code} means ${meaning}. ${NameOf(ctx, error.observer)} recorded: ${error.message}. Whatever was in flight on that connection is lost, and no close frame can follow.`,
      reference: 'RFC 6455 §7.1.5 (no close frame: 1006); RFC 9293 §3.10.7 (reset)',
      ...(error.code === 'ECONNREFUSED' ? { fix: `Start the upstream, or point ${nameOf(ctx, error.observer)} at the right host and port.` } : {}),
    };
  },
};
