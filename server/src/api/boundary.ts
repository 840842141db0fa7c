import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Who may talk to the lab's API. A web page the user visits must not drive it: every request
 * must name a Host the lab serves (a DNS-rebinding name does not), and a state-changing one
 * must come from the lab's own origin with a JSON body, which a cross-site form cannot send
 * without a CORS preflight the lab never answers.
 */
export interface BoundaryOptions {
  /** The address the API binds to (`--host`). */
  host: string;
  /** The port the API listens on, known once it does. */
  port: () => number;
  /**
   * Ports of the lab's other listeners (echo, proxies): pages can only come from the lab
   * itself, but a lesson may serve the UI at a socket's origin, as an app serves its page
   * and its socket from one place.
   */
  listenerPorts?: () => readonly number[];
  /** More ports the API answers on itself (the UI over HTTPS). */
  alsoPorts?: () => readonly number[];
  /** More names the lab is reached under (`--allowed-host`), with or without a port. */
  allowedHosts?: readonly string[];
}

export type Refused = { status: number; error: string };

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** `name[:port]` split, IPv6 in brackets. */
function splitHost(value: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match) return undefined;
  return { name: bare(match[1]!), port: match[2] === undefined ? undefined : Number(match[2]) };
}

export class Boundary {
  constructor(private readonly options: BoundaryOptions) {}

  /** The names the lab answers to itself: loopback, the bound address, and with 0.0.0.0 or ::, this machine's addresses. */
  private ownNames(): Set<string> {
    const names = new Set(LOOPBACK_NAMES);
    const bound = bare(this.options.host);
    names.add(bound);
    if (bound === '0.0.0.0' || bound === '::') {
      for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bare(a.address));
    }
    return names;
  }

  /** Whether `Host: value` names the lab: one of its own names on its own port, or an --allowed-host. */
  hostAllowed(value: string | undefined): boolean {
    if (value === undefined) return false;
    const host = splitHost(value);
    if (!host) return false;
    for (const allowed of this.options.allowedHosts ?? []) {
      const a = splitHost(allowed);
      if (a && a.name === host.name && (a.port === undefined || a.port === host.port)) return true;
    }
    const port = host.port ?? 80;
    return this.ownNames().has(host.name) && (port === this.options.port() || (this.options.alsoPorts?.() ?? []).includes(port));
  }

  /**
   * The refusal for a request that crossed the boundary, or undefined for one that may pass.
   * `changes` marks a state-changing request (POST).
   */
  check(req: IncomingMessage, changes: boolean): Refused | undefined {
    const host = req.headers.host;
    if (!this.hostAllowed(host)) {
      const name = host === undefined ? undefined : (splitHost(host)?.name ?? host);
      return {
        status: 403,
        error:
          `this lab answers only requests for the hosts it serves (${[...LOOPBACK_NAMES, ...(this.options.allowedHosts ?? [])].join(', ')} and its own addresses, on port ${this.options.port()}); ` +
          `${host === undefined ? 'this request named no Host' : `Host: ${host} is not one of them`}. ` +
          `If you reach the lab under that name, start it with --allowed-host ${name && isIP(name) === 0 ? name : 'lab.example'}.`,
      };
    }
    const origin = req.headers.origin;
    // A browser names the page's origin on every cross-origin request and on every POST.
    if (origin !== undefined && !this.ownOrigin(origin)) {
      return {
        status: 403,
        error:
          `requests from another site's page are refused: Origin ${origin} is not this lab's own page (http://${host}). ` +
          'Open the lab UI itself; to reach it under another name, start the lab with --allowed-host <name>.',
      };
    }
    if (changes && !/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return {
        status: 415,
        error: 'state-changing requests need Content-Type: application/json (what the lab UI sends); a plain form post cannot drive the lab.',
      };
    }
    return undefined;
  }

  /** An origin of the lab's own: one of its names, on one of its ports (or an --allowed-host). */
  private ownOrigin(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // `null` (a sandboxed frame, a file:// page) is nobody's own origin
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (this.hostAllowed(url.host)) return true;
    const port = url.port === '' ? 80 : Number(url.port);
    return this.ownNames().has(bare(url.hostname)) && (this.options.listenerPorts?.() ?? []).includes(port);
  }
}
