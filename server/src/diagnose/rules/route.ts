// Which route the connection took, against the one the page chose. A page cannot choose a
// proxy for its WebSockets: the browser's own proxy settings decide, so "Forward proxy" in a
// browser without them is a direct connection, and a browser told to use the forward proxy
// sends every connection through it. The route is what the hops saw (a CONNECT or none).
import type { Route } from '../../transcript/types.ts';
import { headerValue } from '../../wire/http-head.ts';
import type { DiagnoseContext } from '../context.ts';
import type { Rule } from '../rule.ts';

const CHROMIUM_PROXY_DOCS = 'RFC 9110 §9.3.6 (CONNECT); Chromium net/docs/proxy.md (implicit bypass rules, <-loopback>)';

const ROUTE_NAME: Record<Route, string> = {
  direct: 'a direct connection to the echo server',
  'reverse-proxy': 'the reverse proxy',
  nginx: 'real nginx',
  'forward-proxy': 'the forward proxy',
};

/** Whether any hop (not only the page) recorded the connection: only then is its route what the wire showed. */
const seenByAHop = (ctx: DiagnoseContext) => [...ctx.byObserver.keys()].some((observer) => observer !== 'browser');

/** The host the browser dialled, as the URL names it (IPv6 in brackets). */
function dialledHost(ctx: DiagnoseContext): string {
  try {
    return new URL(ctx.connection.url).hostname || '127.0.0.1';
  } catch {
    return '127.0.0.1';
  }
}

/** The lab page's port: from the lab itself, else from the Origin the browser sent (the page's own origin). */
function uiPort(ctx: DiagnoseContext): string {
  if (ctx.lab) return String(ctx.lab.uiPort);
  const request = ctx.events.find((e) => e.kind === 'request' && e.from === 'browser');
  const origin = request?.kind === 'request' ? headerValue(request.headers, 'origin') : undefined;
  const port = origin === undefined ? undefined : /:(\d+)$/.exec(origin)?.[1];
  return port ?? '<lab UI port>';
}

/** The Chromium flags that send the lab's WebSockets through its forward proxy and keep the lab's page direct. */
export function proxyFlags(ctx: DiagnoseContext): string {
  const host = dialledHost(ctx);
  const proxyPort = ctx.lab?.forwardProxyPort ?? '<forward proxy port>';
  return `--proxy-server=http://${host}:${proxyPort} --proxy-bypass-list='<-loopback>;${host}:${uiPort(ctx)}'`;
}

export const noConnectArrived: Rule = {
  id: 'no-connect-arrived',
  kind: 'note',
  applies(ctx) {
    const chosen = ctx.connection.chosenRoute;
    if (chosen !== 'forward-proxy' || ctx.route === 'forward-proxy' || !seenByAHop(ctx)) return undefined;
    const client = ctx.clientName;
    return {
      rule: 'no-connect-arrived',
      at: 'browser',
      summary: `The forward proxy was chosen, but no CONNECT arrived: ${client} opened ${ROUTE_NAME[ctx.route]} instead.`,
      why:
        'A page cannot choose a proxy for its WebSockets: a browser sends a CONNECT to a proxy only when its own proxy settings name ' +
        `one, and Chromium never proxies loopback addresses unless told to. So ${client} dialled the URL itself, and the forward proxy ` +
        'never saw this connection: nothing here went through a tunnel, and the lab records it as the route the wire showed.',
      reference: CHROMIUM_PROXY_DOCS,
      fix:
        `Start Chromium with ${proxyFlags(ctx)} and connect again: <-loopback> stops Chromium bypassing the proxy for this machine, ` +
        "and the bypass entry keeps the lab's own page direct.",
    };
  },
};

export const connectNotChosen: Rule = {
  id: 'connect-not-chosen',
  kind: 'note',
  applies(ctx) {
    const chosen = ctx.connection.chosenRoute;
    if (chosen === undefined || chosen === 'forward-proxy' || ctx.route !== 'forward-proxy') return undefined;
    const connect = ctx.events.find((e) => e.kind === 'connect');
    if (!connect) return undefined;
    return {
      rule: 'connect-not-chosen',
      at: 'browser',
      summary: `${ROUTE_NAME[chosen].charAt(0).toUpperCase()}${ROUTE_NAME[chosen].slice(1)} was chosen, but ${ctx.clientName} sent a CONNECT ${connect.target} to the forward proxy first.`,
      why:
        "A browser's proxy settings apply to every WebSocket it opens, whatever the page asks for: this connection went through the " +
        'forward proxy\'s tunnel before it reached the chosen hop, so the lab records the route as forward-proxy.',
      reference: CHROMIUM_PROXY_DOCS,
      fix: `To connect without the forward proxy, use a browser started without --proxy-server (or add ${connect.target} to its --proxy-bypass-list).`,
    };
  },
};

export const ROUTE_RULES: readonly Rule[] = [noConnectArrived, connectNotChosen];
