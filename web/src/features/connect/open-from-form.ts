import type { LabInfo } from '../../../../server/src/api/types.ts';
import type { ConnectForm } from '../../store/index.ts';
import { useLabStore } from '../../store/index.ts';
import { openBrowserSocket } from './browser-sockets.ts';
import { buildWebSocketUrl, labHost, parseSubprotocols, routeOptions, type RouteOption } from './url.ts';

/** The route the form names, or the first usable one when it names one this lab cannot use now. */
export function selectedRoute(info: LabInfo, form: ConnectForm): RouteOption {
  const options = routeOptions(info);
  return options.find((o) => o.key === form.route && o.unavailable === undefined) ?? options[0]!;
}

/** The URL Connect opens for the form as it is. */
export function formUrl(info: LabInfo, form: ConnectForm, session: string, conn: string): string {
  return buildWebSocketUrl(selectedRoute(info, form), form, labHost(info), session, conn);
}

/**
 * What Connect does: the form's route and options, the connection id shown in the URL, a new id
 * for the next one. Resolves once the lab has registered it and the WebSocket is created.
 */
export async function connectWithForm(info: LabInfo, session: string): Promise<{ conn: string; url: string }> {
  const { connectForm: form, nextConnectionId: conn, rollConnectionId } = useLabStore.getState();
  const selected = selectedRoute(info, form);
  const url = buildWebSocketUrl(selected, form, labHost(info), session, conn);
  const meta = selected.preset === undefined ? { url, route: selected.route } : { url, route: selected.route, preset: selected.preset };
  rollConnectionId();
  await openBrowserSocket({ session, conn, url, protocols: parseSubprotocols(form.subprotocols), meta });
  return { conn, url };
}
