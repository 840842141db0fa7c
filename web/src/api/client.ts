import type { Transcript } from '../../../server/src/transcript/types.ts';
import { OWNER_HEADER, type ApiError, type BrowserReport, type EchoAction, type ImportedSession, type LabInfo, type PresenterBoardState, type PresenterState, type SessionCreated } from '../../../server/src/api/types.ts';
import { ownerToken } from './owner.ts';

/** A failed API call, carrying the server's own `{ error }` message when it sent one. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}

type Method = 'GET' | 'POST' | 'DELETE';

/** `raw`: a file to send as it is, in place of the JSON body; `keepalive`: the request outlives the page. */
interface RequestExtra {
  raw?: Blob;
  keepalive?: boolean;
}

async function request(method: Method, path: string, body?: unknown, signal?: AbortSignal, extra: RequestExtra = {}): Promise<Response> {
  let response: Response;
  try {
    // Every POST carries a JSON body: the lab refuses a state-changing request without one,
    // which is what keeps another site's plain form from driving it. It carries this tab's owner
    // token too: only the tab that opened a connection may act on it.
    const changes = method !== 'GET';
    const init: RequestInit = { method, headers: changes ? { 'content-type': 'application/json', [OWNER_HEADER]: ownerToken() } : {} };
    if (method === 'POST') init.body = extra.raw ?? JSON.stringify(body ?? {});
    if (extra.keepalive) init.keepalive = true;
    if (signal) init.signal = signal;
    response = await fetch(path, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    // fetch rejects only when no HTTP answer came back at all.
    throw new ApiRequestError(`${method} ${path}: the lab did not answer (${String(cause)}). Is it still running?`, 0);
  }
  if (response.ok) return response;
  let message = `${method} ${path}: HTTP ${response.status} ${response.statusText}`;
  try {
    const parsed: unknown = await response.json();
    if (isApiError(parsed)) message = parsed.error;
  } catch {
    // Not JSON (a proxy's error page, say): the status line is all we have.
  }
  throw new ApiRequestError(message, response.status);
}

async function json<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await request(method, path, body, signal);
  return (await response.json()) as T;
}

const sessionPath = (session: string) => `/api/sessions/${encodeURIComponent(session)}`;
const connectionPath = (session: string, conn: string) => `${sessionPath(session)}/connections/${encodeURIComponent(conn)}`;

export const livePath = (session: string) => `${sessionPath(session)}/live`;
export const transcriptPath = (session: string) => `${sessionPath(session)}/transcript`;

export function getInfo(signal?: AbortSignal): Promise<LabInfo> {
  return json<LabInfo>('GET', '/api/info', undefined, signal);
}

export function getTranscript(session: string, signal?: AbortSignal): Promise<Transcript> {
  return json<Transcript>('GET', transcriptPath(session), undefined, signal);
}

export async function createSession(): Promise<string> {
  const created = await json<SessionCreated>('POST', '/api/sessions');
  return created.id;
}

export async function postBrowserReport(session: string, conn: string, report: BrowserReport): Promise<void> {
  await request('POST', `${connectionPath(session, conn)}/events`, report);
}

export async function postAction(session: string, conn: string, action: EchoAction): Promise<void> {
  await request('POST', `${connectionPath(session, conn)}/actions`, action);
}

/** A message for the user from anything a call may throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The transcript exactly as the server sends it, for saving as a file. */
export async function getTranscriptBlob(session: string): Promise<Blob> {
  const response = await request('GET', transcriptPath(session));
  return response.blob();
}

/** Publishes this tab's view as the session's presenter (`takeOver` replaces another tab presenting it). */
export function postPresenter(session: string, state: PresenterState, takeOver = false): Promise<PresenterBoardState> {
  return json<PresenterBoardState>('POST', `${sessionPath(session)}/presenter`, takeOver ? { state, takeOver } : { state });
}

/** Stops presenting; `keepalive` lets the request outlive the page (on pagehide). */
export async function stopPresenting(session: string, keepalive = false): Promise<void> {
  await request('DELETE', `${sessionPath(session)}/presenter`, undefined, undefined, { keepalive });
}

export const harPath = (session: string) => `${sessionPath(session)}/har`;

/** Opens a transcript or HAR file in a new read-only session (`POST /api/sessions/import`). */
export async function importFile(file: Blob, name: string): Promise<ImportedSession> {
  const response = await request('POST', `/api/sessions/import?name=${encodeURIComponent(name)}`, undefined, undefined, { raw: file });
  return (await response.json()) as ImportedSession;
}
