// What RFC 6455 keeps for later or for local use, sent anyway by a server: an extension the
// client never offered, a reserved opcode, a close code that only reports a closure locally,
// a fragmented control frame. Each quotes what Chromium prints to the console for it.
import { headerValues } from '../../wire/http-head.ts';
import { andBrowser, clientFailed, firstBad101, NameOf, nameOf } from '../facts.ts';
import type { Rule } from '../rule.ts';
import { firstFrameToClient, opcodeName } from './frame-faults.ts';

/** Extension names in a Sec-WebSocket-Extensions list, in order, lower-cased, without parameters. */
export function extensionNames(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((element) => (element.split(';')[0] ?? '').trim().toLowerCase())
    .filter((name) => name.length > 0);
}

export const unsupportedExtension: Rule = {
  id: 'unsupported-extension',
  kind: 'cause',
  applies(ctx) {
    const offered = (headers: Parameters<typeof headerValues>[0]) => extensionNames(headerValues(headers, 'sec-websocket-extensions'));
    const bad = firstBad101(ctx, (response, request) => {
      const asked = offered(request.headers);
      return offered(response.headers).every((name) => asked.includes(name));
    });
    if (!bad) return undefined;
    const asked = offered(bad.request.headers);
    const unknown = offered(bad.response.headers).find((name) => !asked.includes(name)) ?? '';
    return {
      rule: 'unsupported-extension',
      at: bad.hop,
      summary:
        `${NameOf(ctx, bad.hop)}'s 101 agreed to the extension ${unknown}, which ${nameOf(ctx, 'browser')} never offered ` +
        `(${asked.length === 0 ? 'it offered none' : `it offered ${asked.join(', ')}`}), so the handshake failed${andBrowser(ctx)}.`,
      why:
        'Extensions are negotiated: the client lists what it can speak in Sec-WebSocket-Extensions and the server may only accept from that ' +
        'list, because an extension changes how every later frame is read (RSV bits, opcodes, payload). A client that reads one it never ' +
        `offered must fail the connection. Chrome says "Error during WebSocket handshake: Found an unsupported extension '${unknown}' in ` +
        '\'Sec-WebSocket-Extensions\' header".',
      reference: 'RFC 6455 §4.1 (client check 5), §9.1',
      fix: `Answer with an extension only if the request offered it: drop ${unknown} from the 101's Sec-WebSocket-Extensions (browsers today offer only permessage-deflate).`,
    };
  },
};

const isReservedOpcode = (opcode: number) => (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xb;

export const reservedOpcode: Rule = {
  id: 'reserved-opcode',
  kind: 'cause',
  applies(ctx) {
    const found = firstFrameToClient(ctx, (f) => isReservedOpcode(f.opcode));
    if (!found) return undefined;
    const { frame } = found;
    const kind = frame.opcode < 0x8 ? 'non-control' : 'control';
    return {
      rule: 'reserved-opcode',
      at: frame.from,
      summary: `${NameOf(ctx, frame.from)} sent a frame with opcode ${frame.opcode} (0x${frame.opcode.toString(16)}), which is reserved, ${clientFailed(ctx)}${andBrowser(ctx)}.`,
      why:
        `Opcodes 0x3–0x7 are reserved for further non-control frames and 0xB–0xF for further control frames; this one is a reserved ${kind} ` +
        'opcode. Only an extension agreed in the handshake may give one a meaning, so a receiver that gets one must fail the connection. ' +
        `Chrome says "Unrecognized frame opcode: ${frame.opcode}" and sends close code 1002.`,
      reference: 'RFC 6455 §5.2, §11.8',
      fix: 'Send only the opcodes RFC 6455 defines: 0x0 continuation, 0x1 text, 0x2 binary, 0x8 close, 0x9 ping, 0xA pong.',
    };
  },
};

/** Codes RFC 6455 §7.4.1 reserves for reporting a closure locally; they never travel in a close frame. */
export const LOCAL_ONLY_CODES = new Set([1005, 1006, 1015]);

export const reservedCloseCode: Rule = {
  id: 'reserved-close-code',
  kind: 'cause',
  applies(ctx) {
    const found = firstFrameToClient(ctx, (f) => f.opcode === 0x8 && LOCAL_ONLY_CODES.has(f.close?.code ?? 0));
    if (!found) return undefined;
    const { frame } = found;
    const code = frame.close?.code ?? 0;
    const meaning = code === 1005 ? 'no status code was present' : code === 1006 ? 'the connection closed without a close frame' : 'the TLS handshake failed';
    return {
      rule: 'reserved-close-code',
      at: frame.from,
      summary: `${NameOf(ctx, frame.from)} sent a close frame with code ${code}, which may never be sent on the wire, ${clientFailed(ctx)}${andBrowser(ctx)}.`,
      why:
        `${code} exists only for an endpoint to report, locally, that ${meaning}; RFC 6455 §7.4.1 says it must not be set as a status code in a ` +
        'close frame. A receiver cannot tell what such a frame means, so it fails the connection instead of completing the closing handshake. ' +
        'Chrome says "Received a broken close frame containing a reserved status code." and reports 1006 to the page, not the code on the wire.',
      reference: 'RFC 6455 §7.4.1, §7.4.2, §5.5.1',
      fix: 'Close with a code RFC 6455 §7.4 allows on the wire (1000 for a normal close, 1001 going away, 4000–4999 for the application), or with an empty close body to give no code.',
    };
  },
};

export const fragmentedControlFrame: Rule = {
  id: 'fragmented-control-frame',
  kind: 'cause',
  applies(ctx) {
    const found = firstFrameToClient(ctx, (f) => f.opcode >= 0x8 && f.opcode <= 0xa && !f.fin);
    if (!found) return undefined;
    const { frame } = found;
    return {
      rule: 'fragmented-control-frame',
      at: frame.from,
      summary: `${NameOf(ctx, frame.from)} sent a ${opcodeName(frame.opcode)} frame with FIN clear, a fragmented control frame, ${clientFailed(ctx)}${andBrowser(ctx)}.`,
      why:
        'Control frames (close, ping, pong) must not be fragmented: they may arrive between the fragments of a data message, and a receiver ' +
        'handles each one whole, at once. A control frame with FIN clear is a protocol error; Chrome says "Invalid frame header" (as it does ' +
        'for a control frame over 125 bytes) and sends close code 1002.',
      reference: 'RFC 6455 §5.5, §5.4',
      fix: 'Send every ping, pong and close as a single frame with FIN set; only text and binary messages may be fragmented.',
    };
  },
};

export const RESERVED_RULES: readonly Rule[] = [unsupportedExtension, reservedOpcode, reservedCloseCode, fragmentedControlFrame];
