// 权力下放清单: the powers delegated to the subdistricts — 72 statutory powers (法定职权) and 217
// administrative enforcement items (行政执法事项), each linked to the case categories it answers and
// handled at one level. A case shows the item it falls under and whether the subdistrict holds it.
import { z } from 'zod';
import { CASE_LEVELS } from './cases.ts';

export const POWER_KINDS = ['statutory_power', 'enforcement'] as const;
export type PowerKind = (typeof POWER_KINDS)[number];
export const POWER_KIND_LABELS: Record<PowerKind, string> = { statutory_power: '法定职权', enforcement: '行政执法事项' };
/** How many of each the subdistricts hold (the migration builds exactly these; a test counts them). */
export const POWER_COUNTS: Record<PowerKind, number> = { statutory_power: 72, enforcement: 217 };

export const powerItem = z.object({
  id: z.number(),
  code: z.string(),
  kind: z.enum(POWER_KINDS),
  name: z.string(),
  field: z.string(),
  /** the unit that held the power before it was delegated */
  department_name: z.string().nullable(),
  handling_level: z.enum(CASE_LEVELS),
  categories: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type PowerItem = z.infer<typeof powerItem>;

/** GET /api/powers */
export const powerList = z.object({
  counts: z.record(z.enum(POWER_KINDS), z.number()),
  total: z.number(),
  items: z.array(powerItem),
});
export type PowerList = z.infer<typeof powerList>;

export const powerQuery = z.object({
  kind: z.enum(POWER_KINDS, { message: '类型应为 statutory_power 或 enforcement (kind: statutory_power or enforcement)' }).optional(),
  category: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, '类别代码无效 (invalid category code)').optional(),
  q: z.string().trim().min(1, '搜索词不能为空 (search text must not be empty)').max(50, '搜索词最多 50 个字符 (search text: at most 50 characters)').optional(),
}).strict();
export type PowerQuery = z.infer<typeof powerQuery>;

/** A case's place in the list: the item it falls under, or none (the subdistrict does not hold the power). */
export const casePower = z.object({
  held: z.boolean(),
  item: powerItem.omit({ categories: true }).nullable(),
});
export type CasePower = z.infer<typeof casePower>;
