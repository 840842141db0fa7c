// Scenarios straight to the echo server: a healthy connection, each refusal, each fault, and
// the client-side protocol errors ws answers with a close code.
import { DEFAULT_SESSION } from '../../src/transcript/types.ts';
import { browserReport, browserSocket, maskedFrame, rawClient, upgradeRequest, type Lab, type Scenario } from './record-kit.ts';

const echoUrl = (lab: Lab, conn: string, query = '') => `ws://127.0.0.1:${lab.echoPort}/echo?lab=${lab.session}&conn=${conn}${query}`;
const target = (lab: Lab, conn: string, query = '') => `/echo?lab=${lab.session}&conn=${conn}${query}`;
const host = (lab: Lab) => `127.0.0.1:${lab.echoPort}`;

/** A handshake from a raw client, refused: collects the refusal until the server closes. */
function refused(name: string, description: string, options: Parameters<typeof upgradeRequest>[2], query = ''): Scenario {
  return {
    name,
    description,
    run: async (lab, conn) => {
      await rawClient(lab.echoPort, upgradeRequest(target(lab, conn, query), host(lab), options));
    },
  };
}

/** The browser opens a socket that the server's fault breaks; the browser's events follow Chromium. */
function fault(name: string, fault: string, description: string, options: { protocols?: string[]; query?: string } = {}): Scenario {
  return {
    name,
    description,
    run: (lab, conn) =>
      browserSocket(lab, conn, echoUrl(lab, conn, `&fault=${fault}${options.query ?? ''}`), options.protocols ? { protocols: options.protocols } : {}),
  };
}

/** A raw client upgrades, then sends one frame a browser never would; it hangs up once the server's close frame arrives. */
function clientSends(name: string, description: string, frame: Buffer): Scenario {
  return {
    name,
    description,
    run: async (lab, conn) => {
      let upgraded = false;
      await rawClient(lab.echoPort, upgradeRequest(target(lab, conn), host(lab)), (received, socket) => {
        const text = received.toString('latin1');
        if (!upgraded && text.includes('\r\n\r\n')) {
          upgraded = true;
          socket.write(frame);
        }
        const rest = received.subarray(text.indexOf('\r\n\r\n') + 4);
        return rest.length > 0 && (rest[0]! & 0x0f) === 0x8;
      });
    },
  };
}

export const DIRECT_SCENARIOS: Scenario[] = [
  {
    name: 'healthy-direct',
    description: 'browser → echo: 101, one text message echoed, the browser closes with 1000',
    run: (lab, conn) =>
      browserSocket(lab, conn, echoUrl(lab, conn), {
        onOpen: (ws) => {
          ws.once('message', () => ws.close(1000, 'done'));
          ws.send('hello');
        },
      }),
  },
  {
    name: 'server-close-4000',
    description: 'the echo server closes with 4000 "lesson over" (the API close action); the browser answers',
    run: (lab, conn) =>
      browserSocket(lab, conn, echoUrl(lab, conn), {
        onOpen: () => void setTimeout(() => lab.act(lab.session, conn, { action: 'close', code: 4000, reason: 'lesson over' }), 50),
      }),
  },
  refused('refused-no-upgrade', 'a raw client omits Upgrade: 426', { omit: ['upgrade'] }),
  refused('refused-connection-keep-alive', 'Connection: keep-alive without the upgrade token: 426', { omit: ['connection'], extra: ['Connection: keep-alive'] }),
  refused('refused-missing-key', 'no Sec-WebSocket-Key: 400', { omit: ['sec-websocket-key'] }),
  refused('refused-malformed-key', 'Sec-WebSocket-Key: short: 400', { omit: ['sec-websocket-key'], extra: ['Sec-WebSocket-Key: short'] }),
  refused('refused-version-8', 'Sec-WebSocket-Version: 8 (hybi draft): 426', { omit: ['sec-websocket-version'], extra: ['Sec-WebSocket-Version: 8'] }),
  refused('refused-post', 'POST instead of GET: 405', { method: 'POST' }),
  refused('refused-strict-http10', 'an HTTP/1.0 upgrade with strict=1: 400', { version: '1.0' }, '&strict=1'),
  refused('refused-origin-missing', 'origin=same-host and a client that sends no Origin: 403', { omit: ['origin'] }, '&origin=same-host'),
  {
    name: 'refused-not-http',
    description: 'a TLS ClientHello-like prefix instead of HTTP (wss:// to a ws:// port): 400, filed under the default session',
    run: async (lab) => {
      const before = new Set(lab.store.read(DEFAULT_SESSION)?.connections.map((c) => c.id));
      await rawClient(lab.echoPort, Buffer.from('\x16\x03\x01 not http at all\r\n\r\n', 'latin1'));
      const raw = lab.store.read(DEFAULT_SESSION)?.connections.find((c) => !before.has(c.id) && c.id.startsWith('raw-'));
      if (!raw) throw new Error('the refusal was not recorded');
      return { session: DEFAULT_SESSION, conn: raw.id };
    },
  },
  {
    name: 'refused-origin-direct',
    description: 'origin=same-host; the page is on :8080, the socket on :8089: 403',
    run: (lab, conn) => browserSocket(lab, conn, echoUrl(lab, conn, '&origin=same-host')),
  },
  {
    name: 'refused-head-too-large',
    description: 'a 20 kB header: 431 before the request line is filed (under the default session)',
    run: async (lab) => {
      const before = new Set(lab.store.read(DEFAULT_SESSION)?.connections.map((c) => c.id));
      await rawClient(lab.echoPort, upgradeRequest('/echo', host(lab), { extra: [`X-Filler: ${'a'.repeat(20_000)}`] }));
      const raw = lab.store.read(DEFAULT_SESSION)?.connections.find((c) => !before.has(c.id) && c.id.startsWith('raw-'));
      if (!raw) throw new Error('the 431 was not recorded');
      return { session: DEFAULT_SESSION, conn: raw.id };
    },
  },
  fault('fault-wrong-accept', 'wrong-accept', '101 with a Sec-WebSocket-Accept for another key'),
  fault('fault-missing-upgrade', 'missing-upgrade', '101 without Upgrade: websocket'),
  fault('fault-status-200', 'status-200', '200 OK instead of 101'),
  fault('fault-protocol-not-offered', 'protocol-not-offered', 'the browser offers chat; the 101 selects not-offered', { protocols: ['chat'], query: '&protocols=chat' }),
  fault('fault-no-protocol', 'no-protocol', 'the browser offers chat; the 101 selects none', { protocols: ['chat'], query: '&protocols=chat' }),
  {
    name: 'protocol-not-accepted',
    description: 'no fault: the browser offers chat, superchat but the server accepts only v2, so its 101 selects none',
    run: (lab, conn) => browserSocket(lab, conn, echoUrl(lab, conn, '&protocols=v2'), { protocols: ['chat', 'superchat'] }),
  },
  fault('fault-masked-frame', 'masked-frame', 'the server sends a masked text frame'),
  fault('fault-rsv1-without-extension', 'rsv1-without-extension', 'a frame with RSV1 and no extension negotiated'),
  fault('fault-invalid-utf8', 'invalid-utf8', 'a text frame that is not UTF-8'),
  fault('fault-control-too-long', 'control-too-long', 'a 126-byte ping'),
  fault('fault-close-without-frame', 'close-without-frame', 'the server drops TCP 200 ms after the 101, no close frame'),
  fault('fault-unknown-extension', 'unknown-extension', 'the 101 agrees to x-webkit-deflate-frame, which the browser never offered'),
  fault('fault-reserved-opcode', 'reserved-opcode', 'a frame with opcode 0x3'),
  fault('fault-close-1005', 'close-1005', 'a close frame carrying 1005, a code only for local reports'),
  fault('fault-fragmented-ping', 'fragmented-ping', 'a ping with FIN clear'),
  fault('fault-rsv2-set', 'rsv2-set', 'a frame with RSV2 set'),
  {
    name: 'fault-masked-frame-reset',
    description: 'as Chromium does on a masked frame: the client sends close 1002 and resets TCP without waiting for the answer',
    run: async (lab, conn) => {
      lab.store.openConnection(lab.session, conn, { url: echoUrl(lab, conn, '&fault=masked-frame'), route: 'direct' });
      let opened = false;
      await rawClient(lab.echoPort, upgradeRequest(target(lab, conn, '&fault=masked-frame'), host(lab)), (received, socket) => {
        const end = received.indexOf('\r\n\r\n');
        if (end === -1) return false;
        if (!opened) {
          opened = true;
          browserReport(lab, conn, 'direct', { kind: 'open', protocol: '', extensions: '' });
        }
        if (received.length <= end + 4) return false;
        // The masked frame arrived: fail the connection the way Chromium does.
        socket.write(maskedFrame(0x88, Buffer.concat([Buffer.from('03ea', 'hex'), Buffer.from('Masked frame from server')])));
        socket.resetAndDestroy();
        browserReport(lab, conn, 'direct', { kind: 'error', code: 'error-event', message: 'The browser fired an error event on the WebSocket.' });
        browserReport(lab, conn, 'direct', { kind: 'close', code: 1006, reason: '', wasClean: false });
        return false;
      });
    },
  },
  {
    name: 'server-invalid-close-code',
    description: 'the server sends a close frame with code 1005, which may never be sent; Chromium fails the connection',
    run: (lab, conn) =>
      browserSocket(lab, conn, echoUrl(lab, conn), {
        // Raw bytes on the echo server's own socket, through its tap: ws would refuse to send 1005.
        onOpen: () => void setTimeout(() => lab.lastEchoSocket()?.write(Buffer.from('880203ed', 'hex')), 50),
      }),
  },
  {
    name: 'server-invalid-close-code-terminal',
    description: 'the server sends close code 1005 to a terminal client (no browser reports): only the decoder can say',
    run: async (lab, conn) => {
      let triggered = false;
      await rawClient(lab.echoPort, upgradeRequest(target(lab, conn), host(lab)), (received) => {
        if (!triggered && received.includes('\r\n\r\n')) {
          triggered = true;
          setTimeout(() => lab.lastEchoSocket()?.write(Buffer.from('880203ed', 'hex')), 50);
        }
        const rest = received.subarray(received.indexOf('\r\n\r\n') + 4);
        return rest.length > 0;
      });
    },
  },
  {
    name: 'server-close-code-1004',
    description: 'the server sends a close frame with code 1004, reserved by RFC 6455 §7.4.1; the browser fails the connection',
    run: (lab, conn) =>
      browserSocket(lab, conn, echoUrl(lab, conn), {
        onOpen: () => void setTimeout(() => lab.lastEchoSocket()?.write(Buffer.from('880203ec', 'hex')), 50),
      }),
  },
  {
    name: 'server-close-code-1004-terminal',
    description: 'the server sends close code 1004 to a terminal client (no browser reports): only the decoder can say',
    run: async (lab, conn) => {
      let triggered = false;
      await rawClient(lab.echoPort, upgradeRequest(target(lab, conn), host(lab)), (received) => {
        if (!triggered && received.includes('\r\n\r\n')) {
          triggered = true;
          setTimeout(() => lab.lastEchoSocket()?.write(Buffer.from('880203ec', 'hex')), 50);
        }
        const rest = received.subarray(received.indexOf('\r\n\r\n') + 4);
        return rest.length > 0;
      });
    },
  },
  clientSends('client-unmasked-frame', 'a raw client sends an unmasked text frame; ws closes with 1002', Buffer.from('810568656c6c6f', 'hex')),
  clientSends('client-invalid-utf8', 'a raw client sends masked text that is not UTF-8; ws closes with 1007', maskedFrame(0x81, Buffer.from([0x48, 0x69, 0xff, 0xfe]))),
  clientSends('client-reserved-opcode', 'a raw client sends opcode 0x3; ws closes with 1002', maskedFrame(0x83, Buffer.from('x'))),
  {
    name: 'browser-never-reached',
    description: 'the browser tries a port nothing listens on: only the browser has anything to say',
    run: async (lab, conn) => {
      lab.store.openConnection(lab.session, conn, { url: `ws://127.0.0.1:${lab.closedPort}/echo?lab=${lab.session}&conn=${conn}`, route: 'direct' });
      // A real connect to a closed port fails; Chromium then reports an error and 1006.
      await rawClient(lab.closedPort, '');
      browserReport(lab, conn, 'direct', { kind: 'error', code: 'error-event', message: 'The browser fired an error event on the WebSocket.' });
      browserReport(lab, conn, 'direct', { kind: 'close', code: 1006, reason: '', wasClean: false });
    },
  },
];
