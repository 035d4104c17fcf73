// Sign-in, sign-out and "who am I" (the server's routes/auth.ts).
import type { Locale, LocaleBody, LoginResult, Me } from '@grid-atlas/contract';
import { quietApi } from './client';
import { readJson } from './http';

export type { Me, LoginResult, Role, ScopeInfo as Scope, ScopeLevel } from '@grid-atlas/contract';

/** 401 here just means "not signed in": the caller decides, no redirect. */
export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return readJson(quietApi.me.$get(undefined, { init: { signal } }));
}

export function login(username: string, password: string): Promise<LoginResult> {
  return readJson(quietApi.auth.login.$post({ json: { username, password } }));
}

export function logout(): Promise<{ ok: boolean }> {
  return readJson(quietApi.auth.logout.$post());
}

/** Keeps the interface language with the account signed in. */
export function putLocale(locale: Locale): Promise<LocaleBody> {
  return readJson(quietApi.me.locale.$put({ json: { locale } }));
}
