// POST /api/sessions/import (a transcript or a HAR, into a new read-only session) and
// GET /api/sessions/:session/har (the session as HAR 1.2).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { harToTranscript, looksLikeHar } from '../har/from-har.ts';
import { transcriptToHar } from '../har/to-har.ts';
import type { TranscriptStore } from '../transcript/store.ts';
import { validateTranscript } from '../transcript/validate.ts';
import type { ImportedSession } from './types.ts';

/** The largest file the lab opens: a session at its limits (100,000 events, 64 MiB of payload) exports about this much. */
export const MAX_IMPORT_BYTES = 128 * 1024 * 1024;

type Send = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void;

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      // Stop reading: the client is told at once, and nothing more is held.
      req.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function importSession(store: TranscriptStore, limits: { maxEvents: number; maxConnections: number }, req: IncomingMessage, res: ServerResponse, url: URL, send: Send): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const mib = MAX_IMPORT_BYTES / 1024 / 1024;
  if (declared > MAX_IMPORT_BYTES) return send(res, 413, { error: `the file is ${(declared / 1024 / 1024).toFixed(1)} MiB; the lab opens files up to ${mib} MiB` }, { Connection: 'close' });
  const body = await readBody(req, MAX_IMPORT_BYTES);
  if (!body) return send(res, 413, { error: `the file is over ${mib} MiB, the most the lab opens` }, { Connection: 'close' });
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return send(res, 400, { error: `the file is not JSON (${(err as Error).message}): open a transcript exported by the lab, or a HAR` });
  }
  const har = looksLikeHar(value);
  const transcript = har ? harToTranscript(value, limits) : validateTranscript(value, limits);
  if ('error' in transcript) return send(res, 422, { error: transcript.error });
  const name = url.searchParams.get('name')?.slice(0, 200);
  const imported = { from: har ? ('har' as const) : ('transcript' as const), at: new Date().toISOString(), ...(name ? { name } : {}), ...(har || transcript.imported?.browserOnly ? { browserOnly: true } : {}) };
  const created = store.importSession(transcript, imported);
  if ('error' in created) return send(res, created.status, { error: created.error });
  const events = transcript.connections.reduce((n, c) => n + c.events.length, 0);
  return send(res, 201, { id: created.id, from: imported.from, connections: transcript.connections.length, events } satisfies ImportedSession);
}

export function serveHar(store: TranscriptStore, session: string, res: ServerResponse, send: Send): void {
  const transcript = store.read(session);
  if (!transcript) return send(res, 404, { error: `unknown session ${session}` });
  const text = JSON.stringify(transcriptToHar(transcript), null, 1);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="ws-upgrade-lab-${session.replace(/[^A-Za-z0-9_-]/g, '')}.har"`,
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
