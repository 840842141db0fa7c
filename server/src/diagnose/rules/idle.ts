// An upgraded tunnel cut by a proxy's idle timeout: no frame for a while, then the proxy closed
// both legs without a close frame. nginx's proxy_read_timeout (60 s by default) does this to
// every quiet WebSocket; a heartbeat or a longer timeout keeps it open.
import type { Party } from '../../transcript/types.ts';
import type { DiagnoseContext } from '../context.ts';
import { andBrowser, msBetween, NameOf, nameOf, seconds } from '../facts.ts';
import type { Rule } from '../rule.ts';
import { fixConfigFor, longReadTimeout } from '../fix-config.ts';

/** Below this, a quiet spell is not a timeout worth naming (the close-without-frame fault cuts at 200 ms). */
export const MIN_IDLE_MS = 1000;

/** Error codes a proxy records when its own timer ended the tunnel. */
const TIMEOUT_CODES = /TIMEOUT|ETIMEDOUT/i;

/** The proxy's idle timeout ended this tunnel: how long it had been quiet. */
export function idleCut(ctx: DiagnoseContext, proxy: Party) {
  const inbound = ctx.inbound(proxy);
  const outbound = ctx.outbound(proxy);
  if (!inbound?.close || !outbound?.close || inbound.close.wasClean || outbound.close.wasClean) return undefined;
  if (inbound.response?.status !== 101 && outbound.response?.status !== 101) return undefined;
  if (inbound.closeFrames.toClient.length + inbound.closeFrames.toServer.length > 0) return undefined;
  if (outbound.closeFrames.toClient.length + outbound.closeFrames.toServer.length > 0) return undefined;
  const closes = ctx.legs.flatMap((l) => (l.close ? [l.close] : [])).sort((a, b) => a.seq - b.seq);
  const first = closes[0];
  if (!first) return undefined;
  const activity = [inbound.response, outbound.response, ...inbound.frames, ...outbound.frames]
    .flatMap((e) => (e ? [e] : []))
    .filter((e) => e.seq < first.seq)
    .sort((a, b) => a.seq - b.seq)
    .at(-1);
  if (!activity) return undefined;
  const idleMs = msBetween(activity.time, first.time);
  // Best evidence: the proxy said its timer fired. Else a long silence, and the proxy's legs closing before the echo server's.
  const timedOut = [...inbound.errors, ...outbound.errors].some((e) => TIMEOUT_CODES.test(e.code));
  if (!timedOut && (idleMs < MIN_IDLE_MS || first.observer !== proxy)) return undefined;
  return { idleMs, pings: [...inbound.frames, ...outbound.frames].filter((f) => f.opcode === 0x9).length };
}

/**
 * The timeout a measured quiet spell stands for: timers fire a little late, so 2,003 ms of
 * silence is a 2 s timeout (to the 100 ms under 10 s, to the second above).
 */
export function likelyTimeout(idleMs: number): number {
  const step = idleMs < 10_000 ? 100 : 1000;
  return Math.max(step, Math.round(idleMs / step) * step);
}

/** A heartbeat that keeps such a tunnel busy with room to spare: half the timeout, at least the echo server's 100 ms. */
export function heartbeatFor(timeoutMs: number): number {
  return Math.max(100, Math.floor(timeoutMs / 2));
}

export const proxyIdleTimeout: Rule = {
  id: 'proxy-idle-timeout',
  kind: 'cause',
  applies(ctx) {
    for (const proxy of ctx.proxies) {
      const cut = idleCut(ctx, proxy);
      if (!cut) continue;
      const timeout = likelyTimeout(cut.idleMs);
      return {
        rule: 'proxy-idle-timeout',
        at: proxy,
        summary:
          `${NameOf(ctx, proxy)} closed both legs after ${seconds(cut.idleMs)} without a frame, sending no close frame${andBrowser(ctx, ', so ')}.`,
        why:
          `To ${nameOf(ctx, proxy)}, an upgraded connection is still a proxied request: nginx's proxy_read_timeout (60 s by default) ends it ` +
          'when the upstream sends nothing for that long, and it closes TCP on both sides without a closing handshake. Neither endpoint did ' +
          `anything wrong; ${ctx.browser.close ? 'the browser reports' : 'a browser would report'} 1006 because no close frame arrived (RFC 6455 §7.1.5).`,
        reference: 'nginx docs: WebSocket proxying (proxy_read_timeout), ngx_http_proxy_module; RFC 6455 §5.5.2, §7.1.5',
        fix:
          `Raise the timeout in the location (proxy_read_timeout 1h; proxy_send_timeout 1h;), or have the server ping well within it: ` +
          `heartbeat=${heartbeatFor(timeout)} here, half the ${seconds(timeout)} of silence after which it cut the tunnel; a ping is traffic, so it restarts the timer.`,
        ...fixConfigFor(ctx, longReadTimeout),
      };
    }
    return undefined;
  },
};

export const IDLE_RULES: readonly Rule[] = [proxyIdleTimeout];
