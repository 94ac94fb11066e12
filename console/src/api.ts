/** The console's calls: the ordinary API, authenticated by the session cookie (never a stored key). */

export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  kind: 'admin' | 'account';
  clientIdentifier?: string;
  csrfToken: string;
  sandbox: boolean;
}

let csrfToken = '';
/** The account the admin is looking at (sent as X-Client-Identifier); unused for account sessions. */
let account = '';
let onSignedOut: () => void = () => undefined;

export function useSession(session: Session | undefined, selectedAccount: string, signedOut: () => void): void {
  csrfToken = session?.csrfToken ?? '';
  account = session?.kind === 'admin' ? selectedAccount : '';
  onSignedOut = signedOut;
}

/** Query string naming the admin's account, for URLs the browser fetches itself (img, EventSource). */
export function accountQuery(prefix = '?'): string {
  return account ? `${prefix}clientIdentifier=${encodeURIComponent(account)}` : '';
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (account) headers['x-client-identifier'] = account;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as T & Partial<ApiErrorBody>;
  if (!res.ok) {
    const err = new ApiError(res.status, data.code ?? 'HTTP_' + res.status, data.message ?? res.statusText);
    if (res.status === 401 && !path.startsWith('/console/api/session')) onSignedOut();
    throw err;
  }
  return data;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export function signIn(key: string): Promise<Session> {
  return api<Session>('POST', '/console/api/session', { key });
}

export async function currentSession(): Promise<Session | undefined> {
  try {
    return await api<Session>('GET', '/console/api/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return undefined;
    throw e;
  }
}
