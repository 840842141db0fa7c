// A pasted copy of every preset's config sends the echo server the same request as the preset
// itself does, through the presets' own nginx and (for the presets that behave as nginx) through
// the bundled proxy: the lab rewrites only the upstream, and nothing else it does shows upstream.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab.ts';
import { PRESETS } from '../../src/reverse-proxy/presets.ts';
import type { RequestEvent } from '../../src/transcript/types.ts';
import { WebSocket } from 'ws';
import { nginxForTests } from '../nginx/helpers.ts';
import { api, BROWSER_ORIGIN, paste, recorded, runThrough, startNginxLab } from './kit.ts';

const nginxPath = nginxForTests();

/** The lab's own query parameters differ by route; what the echo server received otherwise must not. */
const LAB_PARAMS = new Set(['lab', 'conn', 'nginx-config']);

function comparable(request: RequestEvent) {
  const [path, query = ''] = request.target.split('?');
  const params = [...new URLSearchParams(query)].filter(([k]) => !LAB_PARAMS.has(k));
  // A new Sec-WebSocket-Key for every connection (RFC 6455 §4.1) is the only header value that must differ.
  const headers = request.headers.map(([n, v]) => [n, n.toLowerCase() === 'sec-websocket-key' ? '<key>' : v]);
  return { method: request.method, path, params, httpVersion: request.httpVersion, headers };
}

/** A connection through a preset route, as a browser on the Connect form makes it. */
function connectVia(port: number, path: string, session: string, conn: string): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}?lab=${session}&conn=${conn}`, { headers: { Origin: BROWSER_ORIGIN } });
    ws.on('error', () => {});
    ws.on('unexpected-response', (_q, res) => {
      res.resume();
      resolve();
    });
    ws.on('open', () => ws.close(1000));
    ws.on('close', () => resolve());
  });
}

describe.skipIf(!nginxPath)("a pasted copy of every preset's config", () => {
  let lab: Lab;
  let session: string;
  beforeAll(async () => {
    lab = await startNginxLab();
    session = lab.store.createSession();
  });
  afterAll(() => lab?.close());

  it('sends the echo server what the preset sends, through real nginx and the bundled proxy', async () => {
    const presets = lab.info().presets;
    expect(presets.length).toBe(7);
    for (const preset of presets) {
      const { status, result } = await paste(lab, { config: preset.nginxConfig });
      expect(status, `${preset.name}: ${JSON.stringify(result)}`).toBe(201);
      expect(result.run?.path).toBe(`/${preset.name}/`);
      // The same browser request three ways: the pasted copy, the preset in real nginx, the preset in the bundled proxy.
      const pastedConn = `pasted-${preset.name}`;
      await runThrough(lab, result, { session, conn: pastedConn });
      await connectVia(lab.ports.nginx!, `/${preset.name}/`, session, `nginx-${preset.name}`);
      await connectVia(lab.ports.proxy!, `/${preset.name}/`, session, `bundled-${preset.name}`);
      await new Promise((r) => setTimeout(r, 100));
      const atEcho = (conn: string) => recorded(lab, session, conn).events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo')!;
      const pasted = comparable(atEcho(pastedConn));
      expect(pasted, preset.name).toEqual(comparable(atEcho(`nginx-${preset.name}`)));
      // rfc9110-strict's nginx text is only the nearest nginx gets to it (server/test/nginx/parity.test.ts, STRICT_DIFFERS).
      if (PRESETS.find((p) => p.name === preset.name)?.behaviour === 'nginx') expect(pasted, preset.name).toEqual(comparable(atEcho(`bundled-${preset.name}`)));
      expect((await api(lab, 'DELETE', `/api/nginx-configs/${result.id}`)).status).toBe(204);
    }
  });
});
