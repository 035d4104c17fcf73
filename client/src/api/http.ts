// The one fetch every API call goes through: every failure becomes an ApiError with a message
// fit for the error banner.
//
// Sign-in concerns live here so no caller can forget them:
// - state-changing requests carry the CSRF token (X-CSRF-Token) the session store holds;
// - a 401 means the session is gone: the unauthorized handler sends the user to /login?next=…
//   (except for calls that ask not to, i.e. the login and "who am I" calls themselves).
// The token and the handler are injected (configureHttp) so this module imports neither the
// store nor the router, and can be tested with a stubbed global fetch.
import type { ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import { localMessage, t } from '../i18n';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
    /** The server's own `{ error }` text, when it sent one (shown as-is on the login page). */
    readonly serverMessage: string | null = null,
    /** Seconds from a Retry-After header (throttled sign-in). */
    readonly retryAfter: number | null = null,
    /** The whole JSON error body, for routes that send more than `error` (a plan's `errors` with geometry). */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface HttpConfig {
  /** The current CSRF token, or null before sign-in. */
  csrfToken: () => string | null;
  /** Called once per 401 (from a request that did not opt out); `next` is the path to come back to. */
  onUnauthorized: (next: string) => void;
  /** The path the user is on now (router's fullPath), for `next`. */
  currentPath: () => string;
}

const config: HttpConfig = {
  csrfToken: () => null,
  onUnauthorized: (next) => {
    // Default: a full page load, which also drops every store holding the old session's data.
    globalThis.location?.assign(loginPath(next));
  },
  currentPath: () => (globalThis.location ? globalThis.location.pathname + globalThis.location.search : '/'),
};

export function configureHttp(patch: Partial<HttpConfig>): void {
  Object.assign(config, patch);
}

/** "/login?next=…"; a next of "/" or a login path is left out (nothing to come back to). */
export function loginPath(next: string): string {
  if (!next || next === '/' || next.startsWith('/login')) return '/login';
  return `/login?${new URLSearchParams({ next }).toString()}`;
}

/** Several requests fail together when a session ends; redirect once. */
let redirecting = false;

/** Test helper: forget that a redirect already happened. */
export function resetHttpState(): void {
  redirecting = false;
}

/** The Chinese part of a bilingual server message "中文 (English)". */
export function zhMessage(message: string): string {
  const m = /^(.*?)\s*\([^()]*[A-Za-z][^()]*\)\s*$/.exec(message);
  return m && m[1] ? m[1] : message;
}

/** An error whose message is already written for people, in their language (from t()). */
export class PeopleError extends Error {}

/**
 * What a person reads for a failed request: the server's reason in the current language only
 * (its half of "中文 (English)"), never the URL (it names internal ids).
 */
export function peopleMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.serverMessage) return localMessage(err.serverMessage);
    if (err.status === null) return t('shell.http.unreachable');
    return t('shell.http.serverFailed', { status: err.status });
  }
  if (err instanceof PeopleError) return err.message;
  // The plan library's errors (auto-balance in its worker) are bilingual too. A browser's own
  // (a failed fetch, an aborted request) is English alone, a developer's words: people read a
  // plain line in their language instead.
  const raw = err instanceof Error ? err.message : String(err);
  return /[\u4e00-\u9fff]/.test(zhMessage(raw)) ? localMessage(raw) : t('shell.http.failed');
}

/** Whether asking again may help: not for a refusal (4xx), except a timeout or throttling. */
export function retryable(err: unknown): boolean {
  return !(err instanceof ApiError && err.status !== null && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429);
}

/**
 * What a form shows for a refused request: the server's reason in the current language, without
 * the generic "请求内容无效 (invalid request):" prefix; `fallback` when the server gave none.
 */
export function refusalText(err: unknown, fallback: string): string {
  return err instanceof ApiError && err.serverMessage
    ? localMessage(err.serverMessage.replace(/^[^()]*\(invalid request\):\s*/, ''))
    : fallback;
}

/** Options of one call, beyond what fetch itself takes. */
export interface CallOptions {
  /** false: a 401 is just an error for the caller (login, /api/me). Default true. */
  redirectOn401?: boolean;
}

/**
 * fetch with our rules: Accept, the CSRF token on state-changing requests, and every failure
 * as an ApiError (a 401 also sends the user to sign in, once). The typed `hc` client of
 * api/client.ts calls through this (every API call does); readJson below reads its answers.
 */
async function send(url: string, init: RequestInit = {}, opts: CallOptions = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/octet-stream');
  if (method !== 'GET' && method !== 'HEAD') {
    // The server refuses state-changing requests without it (403), JSON body or not.
    // A FormData body (photos) needs the browser's own multipart Content-Type with its boundary.
    if (!headers.has('Content-Type') && !(init.body instanceof FormData)) headers.set('Content-Type', 'application/json');
    const token = config.csrfToken();
    if (token) headers.set('X-CSRF-Token', token);
  }
  let res: Response;
  try {
    res = await fetch(url, { ...init, method, headers, credentials: 'same-origin' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw new ApiError(t('shell.http.unreachableAt', { url }), url, null);
  }
  if (!res.ok) {
    // The server may explain itself in a JSON body { error }; fall back to the status line.
    let detail = `${res.status} ${res.statusText}`.trim();
    let serverMessage: string | null = null;
    let body: { error?: unknown } | null = null;
    try {
      body = (await res.clone().json()) as { error?: unknown };
      if (typeof body?.error === 'string') {
        serverMessage = body.error;
        detail = `${res.status} ${body.error}`;
      }
    } catch {
      /* not JSON: keep the status line */
    }
    const retry = Number(res.headers.get('Retry-After'));
    const err = new ApiError(t('shell.http.requestFailed', { url, detail }), url, res.status, serverMessage, Number.isFinite(retry) && retry > 0 ? retry : null, body);
    if (res.status === 401 && opts.redirectOn401 !== false && !redirecting) {
      redirecting = true;
      config.onUnauthorized(config.currentPath());
    }
    throw err;
  }
  return res;
}

/** A fetch for `hc` that applies send()'s rules. */
export function fetchWith(opts: CallOptions = {}): typeof fetch {
  return (input, init) => send(input instanceof Request ? input.url : String(input), init, opts);
}

/** The body type of a call's 2xx responses: anything else has already thrown an ApiError in send(). */
type SuccessBody<R> = R extends ClientResponse<infer T, infer S, 'json'> ? (S extends SuccessStatusCode ? T : never) : never;

/** The JSON of a typed `hc` call, with an unreadable body as an ApiError like any other failure. */
export async function readJson<R extends ClientResponse<unknown, number, 'json'>>(call: Promise<R>): Promise<SuccessBody<R>> {
  const res = await call;
  try {
    return (await res.json()) as SuccessBody<R>;
  } catch {
    throw new ApiError(t('shell.http.unreadable', { url: res.url }), res.url, res.status);
  }
}

/**
 * A multipart upload with progress (fetch reports none): XMLHttpRequest under send()'s rules —
 * the CSRF token, a failure as an ApiError with the server's message and body, a 401 sends the
 * user to sign in. `onProgress` gets the fraction of the body sent (0–1).
 */
export function uploadWithProgress<T>(url: string, form: FormData, onProgress: (sent: number) => void): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    const token = config.csrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(t('shell.http.unreachableAt', { url }), url, null));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        if (body === null) reject(new ApiError(t('shell.http.unreadable', { url }), url, xhr.status));
        else resolve({ status: xhr.status, body: body as T });
        return;
      }
      const error = (body as { error?: unknown } | null)?.error;
      const serverMessage = typeof error === 'string' ? error : null;
      if (xhr.status === 401 && !redirecting) {
        redirecting = true;
        config.onUnauthorized(config.currentPath());
      }
      reject(new ApiError(t('shell.http.requestFailed', { url, detail: `${xhr.status} ${serverMessage ?? xhr.statusText}` }), url, xhr.status, serverMessage, null, body));
    };
    xhr.send(form);
  });
}
