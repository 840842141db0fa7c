import { describe, expect, it } from 'vitest';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import type { ConnectForm } from '../../store/index.ts';
import { buildWebSocketUrl, routeOptions } from './url.ts';

const info: LabInfo = {
  name: 'WebSocket Upgrade Lab',
  host: '127.0.0.1',
  ports: { ui: 8080, echo: 8089, proxy: 8090, nginx: 8091 },
  faults: [],
  presets: [{ name: 'nginx-websocket', description: '', nginxConfig: '' }],
  forwardProxyPresets: [],
  nginx: { available: true, version: '1.22.1' },
  upstreams: [{ name: 'app', url: 'ws://127.0.0.1:3000/chat', path: '/chat' }],
  nginxConfigs: { available: true, maxRunning: 4, remoteAllowed: false },
  limits: { maxEvents: 1, maxPayloadBytes: 1, maxCaptureBytes: 1, captureBudget: 1, maxPayload: 1, headTimeoutMs: 1 },
};
const form: ConnectForm = { route: '', subprotocols: '', serverAcceptsProtocols: true, deflate: true, heartbeat: '500', origin: '', strict: true, fault: 'wrong-accept' };

describe('routes to your own server (--upstream)', () => {
  const options = routeOptions(info).filter((o) => o.upstream);

  it('offers pass-through and every preset on the bundled proxy, and every preset through real nginx', () => {
    expect(options.map((o) => [o.key, o.group, o.port])).toEqual([
      ['reverse-proxy:upstream:app', 'Your server app · bundled proxy', 8090],
      ['reverse-proxy:upstream:app:nginx-websocket', 'Your server app · bundled proxy', 8090],
      ['nginx:upstream:app:nginx-websocket', 'Your server app · real nginx', 8091],
    ]);
  });

  it("opens the server's own path behind the prefix, with only the lab's parameters", () => {
    expect(options.map((o) => buildWebSocketUrl(o, form, '127.0.0.1', 's1', 'c1'))).toEqual([
      'ws://127.0.0.1:8090/upstream/app/chat?lab=s1&conn=c1',
      'ws://127.0.0.1:8090/upstream/app/nginx-websocket/chat?lab=s1&conn=c1',
      'ws://127.0.0.1:8091/upstream/app/nginx-websocket/chat?lab=s1&conn=c1',
    ]);
  });
});
