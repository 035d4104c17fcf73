// The typed API client: `hc` over the server's route types (ApiType), so a call's query and
// its response are checked against what the server really declares. Requests go through
// http.ts (CSRF header, 401 handling, ApiError), exactly like the untyped helpers there.
import { hc } from 'hono/client';
import type { ApiType } from '@grid-atlas/server';
import { fetchWith } from './http';

export const api = hc<ApiType>('/api', { fetch: fetchWith() });

/** For the sign-in and "who am I" calls, where a 401 just means "not signed in". */
export const quietApi = hc<ApiType>('/api', { fetch: fetchWith({ redirectOn401: false }) });

/** Query values as the server's validators take them: strings, with unset ones left out. */
export function q<T extends Record<string, string | number | boolean | undefined>>(params: T): QueryOf<T> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = String(v);
  return out as QueryOf<T>;
}

type QueryOf<T> = { [K in keyof T]?: NonNullable<T[K]> extends boolean ? 'true' | 'false' : string };
