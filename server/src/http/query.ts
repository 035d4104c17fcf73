// Query-string validation with zod: unknown parameters and malformed values are a 400
// with a message naming the parameter, never a silently ignored filter.
import type { Context } from 'hono';
import { z } from 'zod';
import { badRequest, describeZodError } from './errors.ts';

export const idParam = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, { message: '应为正整数 id (expected a positive integer id)' })
  .transform(Number);

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw badRequest(describeZodError(result.error));
  return result.data;
}
