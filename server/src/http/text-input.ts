// Control characters in text input: a NUL byte reaches PostgreSQL as an encoding error
// (a 500), and the others have no business in a name, an address or a search. Query
// strings and JSON bodies of every API request are checked before any handler runs.
import type { MiddlewareHandler } from 'hono';
import { badRequest } from './errors.ts';

// C0 controls except tab, LF and CR (which JSON text such as notes may carry), DEL, C1.
const CONTROL_IN_JSON = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// In a query string not even tab or a line break is a sensible value.
const CONTROL_IN_QUERY = /[\u0000-\u001f\u007f-\u009f]/;

const refuse = (where: string) =>
  badRequest(`${where} 含有控制字符 (${where} contains a control character such as NUL)`);

/** The path of the first string (or key) in a parsed JSON value that has a control character. */
export function findControlCharacter(value: unknown, path = 'body'): string | null {
  if (typeof value === 'string') return CONTROL_IN_JSON.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (CONTROL_IN_JSON.test(k)) return `${path} key`;
      const found = findControlCharacter(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

export const isJsonContentType = (header: string | undefined) => /^\s*application\/json\s*(;|$)/i.test(header ?? '');

export function rejectControlCharacters(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
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
