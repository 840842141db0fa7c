import type { HeaderList } from '../../../../server/src/transcript/types.ts';

/** One extension of a Sec-WebSocket-Extensions list: `permessage-deflate; client_max_window_bits=10`. */
export interface Extension {
  name: string;
  params: { name: string; value?: string }[];
}

const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');

/** Every value of the header, in order, as extensions with their parameters (RFC 6455 §9.1). */
export function parseExtensions(headers: HeaderList, header = 'sec-websocket-extensions'): Extension[] {
  return headers
    .filter(([name]) => name.toLowerCase() === header)
    .flatMap(([, value]) => value.split(','))
    .map((item) => item.split(';').map((part) => part.trim()))
    .filter((parts) => parts[0])
    .map(([name, ...params]) => ({
      name: name!,
      params: params.filter(Boolean).map((p) => {
        const eq = p.indexOf('=');
        return eq < 0 ? { name: p } : { name: p.slice(0, eq).trim(), value: unquote(p.slice(eq + 1).trim()) };
      }),
    }));
}

const windowBytes = (bits: string | undefined) => {
  const n = Number(bits);
  return Number.isInteger(n) && n >= 8 && n <= 15 ? `${2 ** n} bytes (2^${n})` : `2^${bits ?? '?'} bytes`;
};

/** What a permessage-deflate parameter means, in an offer (from the client) or in the 101 (RFC 7692 §7.1). */
export function explainDeflateParam(name: string, value: string | undefined, inAnswer: boolean): string {
  switch (name) {
    case 'server_no_context_takeover':
      return 'the server resets its compressor after every message, so no message refers back to an earlier one (RFC 7692 §7.1.1.1)';
    case 'client_no_context_takeover':
      return 'the client resets its compressor after every message, so no message refers back to an earlier one (RFC 7692 §7.1.1.2)';
    case 'server_max_window_bits':
      return `the server compresses with an LZ77 window of at most ${windowBytes(value)} (RFC 7692 §7.1.2.1)`;
    case 'client_max_window_bits':
      if (value === undefined) {
        return inAnswer
          ? 'without a value this is not valid in a 101 (RFC 7692 §7.1.2.2)'
          : 'the client can use a smaller LZ77 window if the server asks for one; the 101 decides (RFC 7692 §7.1.2.2)';
      }
      return `the client compresses with an LZ77 window of at most ${windowBytes(value)} (RFC 7692 §7.1.2.2)`;
    default:
      return 'not a parameter RFC 7692 defines';
  }
}

/** What an accepted permessage-deflate without a parameter means: the defaults of RFC 7692. */
export const DEFLATE_DEFAULTS =
  'No parameters: both sides keep their compression context from message to message (context takeover) and use windows of up to ' +
  '32768 bytes (2^15), the defaults of RFC 7692 §7.1.';
