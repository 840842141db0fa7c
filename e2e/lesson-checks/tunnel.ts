import { requestsOf } from '../../web/src/lessons/evaluate.ts';
import { expect } from '../fixtures.ts';
import type { ExtraChecks } from '../lesson-runner.ts';

export const forwardProxy: ExtraChecks = {
  choose: async ({ page }) => {
    await expect(page.getByText('stops Chrome bypassing proxies')).toBeVisible();
  },
  unchanged: async ({ recorded, lab }) => {
    const c = recorded();
    expect(c.route).toBe('forward-proxy');
    expect(c.events.find((e) => e.kind === 'connect')).toMatchObject({ observer: 'forward-proxy', from: 'browser', target: `127.0.0.1:${lab.ports.echo}` });
    // The tunnel is opaque to change: what the proxy read inside is byte for byte what the echo server received.
    const inTunnel = requestsOf(c, { seenBy: 'forward-proxy' })[0]!;
    const atEcho = requestsOf(c, { seenBy: 'echo' })[0]!;
    expect(atEcho.from).toBe('forward-proxy');
    expect(inTunnel.headers).toEqual(atEcho.headers);
  },
};
