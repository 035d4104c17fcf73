// Building blocks for query-string schemas: every value arrives as a string, and unknown
// parameters are refused (a silently ignored filter looks like "no data").
import { z } from 'zod';

export const idParam = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, { message: '应为正整数 id (expected a positive integer id)' })
  .transform(Number);

export const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A positive page size up to `max`. */
export const limitParam = (max: number) =>
  z.string().regex(/^\d+$/, '应为整数 (expected an integer)').transform(Number)
    .pipe(z.number().int().min(1, '至少 1 条 (at least 1)').max(max, `最多 ${max} 条 (at most ${max} per page)`));

export const noParams = z.object({}).strict();
