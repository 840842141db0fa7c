import type { ExtraChecks } from '../lesson-runner.ts';
import { acceptByHand, directConnection } from './basics.ts';
import { frameFaults, handshakeFaults, reservedFaults } from './faults.ts';
import { heartbeatVsIdle, idleTimeout } from './idle.ts';
import { clientCloseCodes, permessageDeflate, subprotocols } from './messages.ts';
import { directVsProxy, nginxDefault, nginxMissingConnection, nginxWebsocket } from './nginx.ts';
import { originBehindHost } from './origin.ts';
import { realNginx, strictMode } from './real-nginx.ts';
import { forwardProxy } from './tunnel.ts';

/** Per lesson, the checks its definition cannot express (UI details, timings, other origins), by step id. */
export const EXTRA_CHECKS: Record<string, ExtraChecks> = {
  'direct-connection': directConnection,
  'accept-by-hand': acceptByHand,
  'nginx-default': nginxDefault,
  'nginx-websocket': nginxWebsocket,
  'direct-vs-proxy': directVsProxy,
  'nginx-missing-connection': nginxMissingConnection,
  'real-nginx': realNginx,
  'idle-timeout': idleTimeout,
  'heartbeat-vs-idle': heartbeatVsIdle,
  'origin-behind-host': originBehindHost,
  'forward-proxy': forwardProxy,
  'handshake-faults': handshakeFaults,
  'frame-faults': frameFaults,
  'reserved-faults': reservedFaults,
  subprotocols,
  'strict-mode': strictMode,
  'permessage-deflate': permessageDeflate,
  'client-close-codes': clientCloseCodes,
};
