// Request validation against the contract's zod schemas, as Hono validators so the parsed
// types flow into handlers and through ApiType to the client. A failure is a 400 naming the
// parameter (unknown parameters included), never a silently ignored filter.
import { zValidator } from '@hono/zod-validator';
import type { Env } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import { idParam } from '@grid-atlas/contract';
import { badRequest, describeZodError } from './errors.ts';
import { isJsonContentType } from './text-input.ts';

export const validQuery = <S extends z.ZodType>(schema: S) =>
  zValidator('query', schema, (result) => {
    if (!result.success) throw badRequest(describeZodError(result.error));
  });

export const validJson = <S extends z.ZodType>(schema: S) =>
  zValidator('json', schema, (result) => {
    if (!result.success) throw badRequest(describeZodError(result.error));
  });

export const validParam = <S extends z.ZodType>(schema: S) =>
  zValidator('param', schema, (result) => {
    if (!result.success) throw badRequest(describeZodError(result.error));
  });

/**
 * A path parameter that is an id, through the contract's one id schema: canonical decimal
 * within int4, else a 400 (`/resources/0x1` must not edit resource 1, nor `/cases/2147483648`
 * reach PostgreSQL as "integer out of range").
 */
export function pathId(raw: string | undefined, name = 'id'): number {
  const r = idParam.safeParse(raw);
  if (!r.success) throw badRequest(`${name}: 应为正整数 id，不带符号、前导零或空格 (expected a positive integer id in plain decimal)`);
  return r.data;
}

/** The lead-in of a refused request body, before the field and the reason. */
export const INVALID_REQUEST = '请求内容无效 (invalid request): ';

/**
 * `value` parsed with the contract's schema; the schema's refusal a 400 that names the field,
 * after `prefix`. jsonBody checks a JSON body this way; a filing sent as JSON or multipart
 * (cases, residents' reports) has its fields checked this way once they are read.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(prefix + describeZodError(parsed.error));
  return parsed.data;
}

/**
 * A JSON body parsed with the contract's schema, its types carried to handlers and to `hc` as
 * zValidator's are: a body that is not JSON is a 415, unreadable JSON a 400, and the schema's
 * refusal a 400 that names the field, after `prefix` (a route's lead-in in Chinese).
 */
export const jsonBody = <S extends z.ZodType>(schema: S, prefix = '') =>
  createMiddleware<Env, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }>(async (c, next) => {
    if (!isJsonContentType(c.req.header('Content-Type'))) {
      throw new HTTPException(415, { message: '请以 JSON 提交 (send application/json)' });
    }
    const raw: unknown = await c.req.json().catch(() => undefined);
    if (raw === undefined) throw badRequest('请求体不是有效的 JSON (the body is not valid JSON)');
    c.req.addValidatedData('json', parseWith(schema, raw, prefix) as {});
    await next();
  });

/** A JSON body is required: anything else (a form post, no type) is a 415, whatever the letter case. */
export const requireJson = createMiddleware(async (c, next) => {
  if (!isJsonContentType(c.req.header('Content-Type'))) {
    throw new HTTPException(415, { message: '请以 JSON 提交 (send the request body as application/json)' });
  }
  await next();
});
