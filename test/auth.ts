// Signing in from API tests: returns the headers a browser would send afterwards.

export interface Signed {
  cookie: string;
  csrf: string;
  /** Headers for a GET; add `write` ones for state-changing requests. */
  headers: Record<string, string>;
  write: Record<string, string>;
}

/** Anything with Hono's app.request(). */
export interface Requestable {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

export async function signIn(app: Requestable, username: string, password = 'enshi-demo', ip = '10.0.0.1'): Promise<Signed> {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    cookie,
    csrf: csrfToken,
    headers: { Cookie: cookie },
    write: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' },
  };
}
