// The route a connection took, against the one the page chose: recorded through the real echo
// server, reverse proxy and forward proxy (record.ts, scenarios-routes.ts).
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/diagnose/context.ts';
import { diagnose, RULES } from '../../src/diagnose/index.ts';
import { expectWellFormed, recorded } from './load.ts';

const lab = { uiPort: 41234, forwardProxyPort: 41235 };

describe('the forward proxy chosen, but no CONNECT arrived', () => {
  const connection = recorded('route-forward-proxy-chosen-direct');

  it('is recorded as the direct connection the wire showed, the browser talking to the echo server', () => {
    expect(connection).toMatchObject({ route: 'direct', chosenRoute: 'forward-proxy' });
    expect(connection.events.find((e) => e.kind === 'request')).toMatchObject({ observer: 'echo', from: 'browser', to: 'echo' });
    expect(connection.events.filter((e) => e.observer === 'browser').map((e) => e.from)).toEqual(['echo', 'echo']);
  });

  it('says so, with the Chromium flags naming this lab\'s ports', () => {
    const [finding] = diagnose(connection, RULES, lab);
    expectWellFormed(finding);
    expect(finding).toMatchObject({ rule: 'no-connect-arrived', at: 'browser' });
    expect(finding!.summary).toBe('The forward proxy was chosen, but no CONNECT arrived: the browser opened a direct connection to the echo server instead.');
    expect(finding!.fix).toContain("--proxy-server=http://127.0.0.1:41235 --proxy-bypass-list='<-loopback>;127.0.0.1:41234'");
  });

  it('read elsewhere (an exported transcript), the page\'s port comes from the Origin it sent and the proxy\'s is named', () => {
    expect(diagnose(connection)[0]!.fix).toContain("--proxy-server=http://127.0.0.1:<forward proxy port> --proxy-bypass-list='<-loopback>;127.0.0.1:8080'");
  });
});

describe('a CONNECT seen', () => {
  it('through the forward proxy as chosen: route forward-proxy, no finding', () => {
    const connection = recorded('route-forward-proxy');
    expect(connection).toMatchObject({ route: 'forward-proxy', chosenRoute: 'forward-proxy' });
    expect(diagnose(connection, RULES, lab)).toEqual([]);
  });

  it('a reverse-proxy route in a proxied browser: the forward proxy first, the reverse proxy behind it, each leg named', () => {
    const connection = recorded('route-reverse-proxy-through-forward-proxy');
    expect(connection).toMatchObject({ route: 'forward-proxy', chosenRoute: 'reverse-proxy', preset: 'nginx-websocket' });
    const requests = connection.events.filter((e) => e.kind === 'request').map((e) => `${e.observer}: ${e.from} → ${e.to}`);
    expect(requests).toEqual([
      'forward-proxy: browser → reverse-proxy',
      'reverse-proxy: forward-proxy → reverse-proxy',
      'reverse-proxy: reverse-proxy → echo',
      'echo: reverse-proxy → echo',
    ]);
    expect(buildContext(connection).hops).toEqual(['browser', 'forward-proxy', 'reverse-proxy', 'echo']);
    expect(diagnose(connection, RULES, lab).map((f) => f.rule)).toEqual(['connect-not-chosen']);
  });
});
