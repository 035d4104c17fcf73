// One place that turns failures into JSON a person can read. Our own HTTPExceptions carry
// a message meant for the user; anything else is logged and answered with a plain 500.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';

// For HTTPExceptions thrown by library middleware without a message of ours (hono/csrf).
const DEFAULT_MESSAGES: Record<number, string> = {
  400: '请求无效 (bad request)',
  403: '跨站请求被拒绝 (cross-site request refused: the Origin does not match)',
  404: '没有这个资源 (not found)',
  413: '请求内容过大 (request body too large)',
  415: '不支持的内容类型 (unsupported content type)',
};

/** The OGC API's exception codes, by HTTP status (its exception body is { code, description }). */
const OGC_CODES: Record<number, string> = {
  400: 'InvalidParameterValue', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 413: 'PayloadTooLarge', 415: 'UnsupportedMediaType', 500: 'ServerError', 503: 'ServiceUnavailable',
};

export const isOgcPath = (path: string) => path === '/ogc' || path.startsWith('/ogc/');

export function onError(err: Error, c: Context): Response {
  // Open311 clients expect the GeoReport v2 error body, an array of { code, description }
  // with the same status, whatever failed (a body limit, a content type, a path): one shape.
  // OGC API clients expect the OGC exception, { code, description }, likewise.
  const answer = (status: ContentfulStatusCode, message: string) => {
    if (c.req.path.startsWith('/open311/')) return c.json([{ code: status, description: message }], status);
    if (isOgcPath(c.req.path)) return c.json({ code: OGC_CODES[status] ?? String(status), description: message }, status);
    return c.json({ error: message }, status);
  };
  if (err instanceof HTTPException) {
    // A challenge the exception carries (a 401's WWW-Authenticate) goes out with the answer.
    const challenge = err.res?.headers.get('WWW-Authenticate');
    if (challenge) c.header('WWW-Authenticate', challenge);
    // Hono's own validator says this in English only.
    const message = err.message === 'Malformed JSON in request body' ? '请求体不是有效的 JSON (malformed JSON in the request body)' : err.message;
    return answer(err.status, message || DEFAULT_MESSAGES[err.status] || `请求失败 (request failed: ${err.status})`);
  }
  if (isStatementTimeout(err)) {
    console.error(`[http] ${c.req.method} ${c.req.path}: statement timeout`);
    c.header('Retry-After', '5');
    return answer(503, '查询超时，请缩小范围或稍后再试 (the query took too long; narrow it down or try again shortly)');
  }
  console.error(`[http] ${c.req.method} ${c.req.path} failed:`, err);
  return answer(500, '服务器内部错误 (internal server error)');
}

export function badRequest(message: string): HTTPException {
  return new HTTPException(400, { message });
}

export function notFound(message: string): HTTPException {
  return new HTTPException(404, { message });
}

/** "community: 应为正整数 (expected a positive integer id)" for each failing field. */
export function describeZodError(err: { issues: readonly z.core.$ZodIssue[] }): string {
  return err.issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `不支持的参数 (unknown parameter): ${i.keys.join(', ')}`;
      return `${i.path.join('.') || 'input'}: ${i.message}`;
    })
    .join('; ');
}

/** PostgreSQL's query_canceled (statement_timeout), as `pg` reports it. */
export function isStatementTimeout(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '57014';
}
