// The negotiation, read from recorded transcripts (server/test/diagnose/fixtures): through the
// forward proxy it is the 101 inside the tunnel that answers, not the proxy's `200 Connection
// established`; a terminal client is "the client", with no WebSocket object to read.
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { Negotiation } from './Negotiation.tsx';

function recorded(name: string): Connection {
  const url = new URL(`../../../../server/test/diagnose/fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { connection: Connection }).connection;
}

const text = (connection: Connection) => renderToStaticMarkup(createElement(Negotiation, { connection })).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('Negotiated in the handshake', () => {
  it('through the forward proxy: the 101 inside the tunnel, not "no 101: 200 Connection established"', () => {
    const shown = text(recorded('route-forward-proxy'));
    expect(shown).not.toContain('no 101');
    expect(shown).toContain('Extensions the browser offered permessage-deflate');
    expect(shown).toContain('WebSocket.extensions in the browser');
  });

  it('a terminal client is the client, and no browser row is shown for it', () => {
    const terminal = recorded('proxy-hop-by-hop-nginx');
    expect(terminal.events.some((e) => e.observer === 'browser')).toBe(false);
    const shown = text(terminal);
    expect(shown).toContain('Extensions the client offered');
    expect(shown).not.toMatch(/browser/);
  });
});
