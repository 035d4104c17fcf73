// One place that turns failures into JSON a person can read. Our own HTTPExceptions carry
// a message meant for the user; anything else is logged and answered with a plain 500.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';

export function onError(err: Error, c: Context): Response {
  if (err instanceof HTTPException) {
    // Hono's own validator says this in English only.
    const message = err.message === 'Malformed JSON in request body' ? '请求体不是有效的 JSON (malformed JSON in the request body)' : err.message;
    return c.json({ error: message || '请求失败 (request failed)' }, err.status);
  }
  console.error(`[http] ${c.req.method} ${c.req.path} failed:`, err);
  return c.json({ error: '服务器内部错误 (internal server error)' }, 500);
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
