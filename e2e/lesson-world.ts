import { connect as tcpConnect } from 'node:net';
import type { Page } from '@playwright/test';
import type { Lab } from '../server/src/lab.ts';
import { diagnose } from '../server/src/diagnose/index.ts';
import type { Connection } from '../server/src/transcript/types.ts';
import { parseConnections } from '../web/src/lessons/progress.ts';
import { terminalRequest } from '../web/src/lessons/terminal.ts';
import type { Action, Alias } from '../web/src/lessons/types.ts';
import { idleTimeoutFrom, type LessonWorld } from '../web/src/lessons/world.ts';
import { sessionOf } from './fixtures.ts';

// The lesson's world as the test sees it: the lab's own store (findings from the same diagnosis
// the API runs), and the aliases the page's URL says each connection became.

/** The lesson, step and connections the page's URL carries. */
export function progressOf(page: Page): { lesson: string | null; step: number; connections: Record<Alias, string> } {
  const p = new URL(page.url()).searchParams;
  return { lesson: p.get('lesson'), step: Number(p.get('step') ?? '1') - 1, connections: parseConnections(p.get('lc')) };
}

/** The lab's record of one connection, with its findings, as `GET …/transcript` would give it. */
export function recordedConnection(lab: Lab, session: string, id: string): Connection | undefined {
  const c = lab.store.read(session)?.connections.find((x) => x.id === id);
  return c && { ...c, findings: diagnose(c) };
}

/** The world as it is now: read again on every call of `connection`. */
export function nodeWorld(lab: Lab, page: Page): LessonWorld {
  const session = sessionOf(page);
  const info = lab.info();
  return {
    connection: (alias) => {
      const id = progressOf(page).connections[alias];
      return id === undefined ? undefined : recordedConnection(lab, session, id);
    },
    ports: info.ports,
    origin: new URL(page.url()).origin,
    idleTimeoutMs: idleTimeoutFrom(info.presets),
  };
}

/**
 * What a student does with a terminal step: send the handshake the player shows as a curl
 * command, read the response head, and hang up (curl --max-time does the same, later).
 */
export async function sendFromTerminal(lab: Lab, page: Page, action: Extract<Action, { do: 'terminal' }>): Promise<string> {
  const conn = progressOf(page).connections[action.as];
  if (!conn) throw new Error(`the player gave ${action.as} no connection id`);
  const request = terminalRequest(action, { host: '127.0.0.1', ports: lab.info().ports, session: sessionOf(page), conn });
  const head = [`GET ${request.target} HTTP/1.1`, ...request.headers.map(([n, v]) => `${n}: ${v}`), '', ''].join('\r\n');
  return new Promise<string>((resolve, reject) => {
    const socket = tcpConnect(request.port, request.host);
    let received = '';
    socket.on('error', reject);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      socket.end();
      resolve(received.split('\r\n')[0] ?? '');
    });
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
  });
}
