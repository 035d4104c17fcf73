// Building blocks for query-string schemas: every value arrives as a string, and unknown
// parameters are refused (a silently ignored filter looks like "no data").
import { z } from 'zod';

/** The largest id PostgreSQL's int4 (every id column) holds. */
export const MAX_ID = 2_147_483_647;
const ID_MESSAGE = '应为正整数 id (expected a positive integer id)';

/**
 * The one id schema: an id in a JSON body is a positive integer that fits int4 (a larger one
 * would reach PostgreSQL as "integer out of range", a 500).
 */
export const idNumber = z.number({ message: ID_MESSAGE }).int(ID_MESSAGE).min(1, ID_MESSAGE).max(MAX_ID, ID_MESSAGE);

/**
 * The same id in a path or a query string: canonical decimal only. `0x1`, `1e0`, `+1`, `01`,
 * `1.0` or ` 1` are not other spellings of 1 (Number() would take them all) but a 400.
 */
export const idParam = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, { message: ID_MESSAGE })
  .transform(Number)
  .pipe(idNumber);

export const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A positive page size up to `max`. */
export const limitParam = (max: number) =>
  z.string().regex(/^\d+$/, '应为整数 (expected an integer)').transform(Number)
    .pipe(z.number().int().min(1, '至少 1 条 (at least 1)').max(max, `最多 ${max} 条 (at most ${max} per page)`));

export const noParams = z.object({}).strict();
