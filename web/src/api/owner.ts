// This tab's owner token: the lab lets only the tab that opened a connection act on it. Kept in
// sessionStorage (one per tab, kept across reloads), never in the page URL: a shared link must not
// carry it.

const TOKEN_KEY = 'ws-upgrade-lab/owner';
const OWNED_KEY = 'ws-upgrade-lab/owned';
/** Connection ids remembered as this tab's, per tab; the oldest go first beyond it. */
const MAX_OWNED = 2000;

let token: string | undefined;

function randomToken(): string {
  // getRandomValues works on plain http:// pages too (a classroom lab), unlike randomUUID.
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

export function ownerToken(): string {
  if (token) return token;
  const saved = storage()?.getItem(TOKEN_KEY);
  token = saved && /^[A-Za-z0-9_-]{16,128}$/.test(saved) ? saved : randomToken();
  storage()?.setItem(TOKEN_KEY, token);
  return token;
}

const ownedKey = (session: string, conn: string) => `${session} ${conn}`;

/** The connections this tab opened (session and id), as saved. */
export function loadOwned(): string[] {
  try {
    const saved = JSON.parse(storage()?.getItem(OWNED_KEY) ?? '[]') as unknown;
    return Array.isArray(saved) ? saved.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

export function saveOwned(keys: readonly string[]): void {
  try {
    storage()?.setItem(OWNED_KEY, JSON.stringify(keys.slice(-MAX_OWNED)));
  } catch {
    // Storage full or denied: after a reload the UI no longer knows, but the lab still does.
  }
}

export { ownedKey };
