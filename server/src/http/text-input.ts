// Control characters in text input: a NUL byte reaches PostgreSQL as an encoding error
// (a 500), and the others have no business in a name, an address or a search. One rule for
// every text that enters, whatever its encoding: the path, the query string, JSON bodies and
// form fields (multipart or urlencoded) of every API and Open311 request are checked before
// any handler runs. And a write route reads only the body types it was built for (acceptBodies):
// a look-alike such as application/jsonp is not JSON, and would skip the JSON check.
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { matchedRoutes } from 'hono/route';
import { badRequest } from './errors.ts';

// C0 controls except tab, LF and CR (which texts such as notes may carry), DEL, C1.
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// In a query string or a path not even tab or a line break is a sensible value.
const CONTROL_IN_QUERY = /[\u0000-\u001f\u007f-\u009f]/;

const refuse = (where: string) =>
  badRequest(`${where} 含有控制字符 (${where} contains a control character such as NUL)`);

/** The path of the first string (or key) in a parsed JSON value that has a control character. */
export function findControlCharacter(value: unknown, path = 'body'): string | null {
  if (typeof value === 'string') return CONTROL_IN_TEXT.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (CONTROL_IN_TEXT.test(k)) return `${path} key`;
      const found = findControlCharacter(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

export const isJsonContentType = (header: string | undefined) => /^\s*application\/json\s*(;|$)/i.test(header ?? '');

/** A path segment as a route parameter will read it (undecodable ones stay as sent). */
const decodeSegment = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export function rejectControlCharacters(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    // Route parameters (an Open311 service code, a case number) arrive percent-decoded.
    if (url.pathname.split('/').some((seg) => CONTROL_IN_QUERY.test(decodeSegment(seg)))) {
      throw badRequest('路径含有控制字符 (the path contains a control character such as NUL)');
    }
    let query: [string, string][];
    try {
      query = [...url.searchParams];
    } catch {
      throw badRequest('查询参数编码错误 (malformed query string)');
    }
    for (const [k, v] of query) {
      if (CONTROL_IN_QUERY.test(k) || CONTROL_IN_QUERY.test(v)) throw refuse(`参数 ${k.replace(CONTROL_IN_QUERY, '?')}`);
    }
    if (isJsonContentType(c.req.header('Content-Type')) && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // Parsed once here; Hono caches it, so the handler's c.req.json() costs nothing more.
      // Malformed JSON is left for the handler to answer in its own words.
      const body = await c.req.json().catch(() => undefined);
      const found = body === undefined ? null : findControlCharacter(body);
      if (found) throw refuse(found);
    }
    await next();
  };
}

/**
 * The API's write routes that read something besides JSON ("METHOD /pattern" under /api, as
 * registered): filings with photos, and the routes that read no body. Every other is JSON only.
 */
export const API_BODY_TYPES: Record<string, readonly BodyKind[]> = {
  'POST /cases': ['json', 'multipart'],
  'POST /public/reports': ['json', 'multipart'],
  'POST /auth/logout': ['json', 'none'],
  'POST /plans/import-file': ['multipart'],
  'POST /plans/:id/validate': ['json', 'none'],
  'POST /plans/:id/apply': ['json', 'none'],
  'POST /plans/:id/revert': ['json', 'none'],
  'POST /blocks/edge/:id/revert': ['json', 'none'],
  'POST /boundaries/import': ['multipart'],
};

/** Open311 (under /open311/v2): POST requests.json takes form fields, as the spec sends them, or JSON. */
export const OPEN311_BODY_TYPES: Record<string, readonly BodyKind[]> = {
  'POST /requests.json': ['urlencoded', 'multipart', 'json'],
};

export type BodyKind = 'json' | 'multipart' | 'urlencoded' | 'none';

const kindOf = (type: string | undefined): BodyKind | 'other' => {
  if (type === undefined || type.trim() === '') return 'none';
  if (isJsonContentType(type)) return 'json';
  const media = type.split(';')[0].trim().toLowerCase();
  if (media === 'multipart/form-data') return 'multipart';
  if (media === 'application/x-www-form-urlencoded') return 'urlencoded';
  return 'other';
};

const WORDS: Record<BodyKind, string> = {
  json: 'application/json', multipart: 'multipart/form-data', urlencoded: 'application/x-www-form-urlencoded', none: '',
};

/** The request carries no body at all (no length, or a zero one, and no chunks). */
const bodiless = (header: (name: string) => string | undefined) =>
  !header('Transfer-Encoding') && (header('Content-Length') ?? '0').trim() === '0';

/**
 * Body types per write route: `routes` maps "METHOD /pattern" (relative to `mount`, as the
 * route was registered) to the types it reads; every other write route reads JSON only.
 * 'none' lets a route that reads no body be called without one. Anything else is a 415,
 * before the handler runs. Form fields get the JSON rule for control characters (a 400 naming
 * the field); the parsed form is cached, so the handler reads it again for free.
 */
export function acceptBodies(routes: Record<string, readonly BodyKind[]>, mount: string): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    // The route that will answer: the last one matched that is not a middleware (ALL).
    const route = matchedRoutes(c).filter((r) => r.method !== 'ALL').at(-1);
    if (!route) return next(); // no such route: its 404 says so
    const pattern = route.path.startsWith(`${mount}/`) ? route.path.slice(mount.length) : route.path;
    const accepted = routes[`${route.method} ${pattern}`] ?? ['json'];
    const kind = kindOf(c.req.header('Content-Type'));
    const ok = kind === 'none' ? accepted.includes('none') && bodiless((n) => c.req.header(n)) : accepted.includes(kind as BodyKind);
    if (!ok) {
      const want = accepted.filter((k) => k !== 'none').map((k) => WORDS[k]).join(' 或 ');
      const wantEn = accepted.filter((k) => k !== 'none').map((k) => WORDS[k]).join(' or ');
      throw new HTTPException(415, { message: `请以 ${want} 提交 (send the request body as ${wantEn})` });
    }
    if (kind === 'multipart' || kind === 'urlencoded') {
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody({ all: true });
      } catch (err) {
        if (err instanceof HTTPException) throw err; // the body limit's 413
        throw badRequest('无法解析表单 (the form could not be read)');
      }
      for (const [key, value] of Object.entries(form)) {
        if (CONTROL_IN_TEXT.test(key)) throw refuse('body key');
        for (const v of Array.isArray(value) ? value : [value]) {
          if (typeof v === 'string' && CONTROL_IN_TEXT.test(v)) throw refuse(`body.${key}`);
        }
      }
    }
    await next();
  };
}
