import type { ApiError, NginxConfigRequest, NginxConfigResult, NginxVerdicts } from '../../../../server/src/api/types.ts';

// /api/nginx-configs answers a refused or failing config with 422 and the whole result, which
// the panel shows line by line; other failures carry only `{ error }`.

const isResult = (v: unknown): v is NginxConfigResult => typeof v === 'object' && v !== null && 'outcome' in v && 'pitfalls' in v;
const errorOf = (v: unknown): string | undefined => (typeof v === 'object' && v !== null && typeof (v as ApiError).error === 'string' ? (v as ApiError).error : undefined);

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; value: unknown }> {
  let response: Response;
  try {
    response = await fetch(path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  } catch (cause) {
    throw new Error(`${method} ${path}: the lab did not answer (${String(cause)}). Is it still running?`);
  }
  const text = await response.text();
  let value: unknown;
  try {
    value = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    value = undefined;
  }
  return { status: response.status, value };
}

/** Checks and runs a config: the result when the lab judged the text, else an Error that says why not. */
export async function submitConfig(request: NginxConfigRequest): Promise<NginxConfigResult> {
  const { status, value } = await call('POST', '/api/nginx-configs', request);
  if ((status === 201 || status === 422) && isResult(value)) return value;
  throw new Error(errorOf(value) ?? `POST /api/nginx-configs: HTTP ${status}`);
}

export async function getVerdicts(id: string, session: string, conn: string, plain?: string): Promise<NginxVerdicts> {
  const query = new URLSearchParams({ session, conn, ...(plain === undefined ? {} : { plain }) });
  const { status, value } = await call('GET', `/api/nginx-configs/${encodeURIComponent(id)}/verdicts?${query}`);
  if (status === 200) return value as NginxVerdicts;
  throw new Error(errorOf(value) ?? `the lab could not judge the run: HTTP ${status}`);
}
