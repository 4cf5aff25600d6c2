import type { Info } from './types.js';

/** The REST API, as the pages call it (same origin; the token travels in the HttpOnly cookie). */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function toLogin(): never {
  location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  throw new ApiError(401, 'E_AUTH', '需要登录');
}

async function failure(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = `请求失败（HTTP ${response.status}）`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // not JSON: keep the generic message
  }
  return new ApiError(response.status, code, message);
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) toLogin();
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export const postJson = <T>(url: string, body: unknown): Promise<T> => sendJson<T>('POST', url, body);
export const putJson = <T>(url: string, body: unknown): Promise<T> => sendJson<T>('PUT', url, body);

async function sendJson<T>(method: 'POST' | 'PUT', url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body ?? {}),
  });
  if (response.status === 401) toLogin();
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

let info: Promise<Info> | undefined;
export const serverInfo = (): Promise<Info> => (info ??= getJson<Info>('/api/info'));

/** Query string from a parameter list, empty values left out. */
export function queryString(params: URLSearchParams): string {
  const clean = new URLSearchParams();
  for (const [k, v] of params) if (v.trim() !== '') clean.append(k, v);
  const s = clean.toString();
  return s ? `?${s}` : '';
}
