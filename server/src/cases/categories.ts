// A case category as filing and the stage clocks need it: its clock (working hours or calendar
// time, each stage's limit at a priority) and where its cases start (mode and level).
import type { CaseLevel } from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';
import type { CategoryClock } from './clock.ts';

/** A category as a filing needs it: its clock for the priority, and where its cases start. */
export interface FilingCategory {
  clock: CategoryClock;
  default_mode: string;
  default_level: CaseLevel;
}

// A FilingCategory as one json value, over `cat` (case_categories) joined with `l` (its limits at one priority).
const CATEGORY_JSON = `json_build_object('default_mode', cat.default_mode, 'default_level', cat.default_level,
  'clock', json_build_object('working_hours', cat.working_hours, 'limits', json_build_object(
    'dispatch', l.dispatch_minutes, 'claim', l.claim_minutes, 'handling', l.handling_minutes, 'verification', l.verification_minutes)))`;

/** SQL: the FilingCategory of category $code at priority $priority as one json value (null when unknown). */
export const categorySql = (code: string, priority: string) => `
  SELECT ${CATEGORY_JSON}
    FROM case_categories cat JOIN case_category_limits l ON l.category_code = cat.code AND l.priority = ${priority}::text
   WHERE cat.code = ${code}::text`;

/** SQL: every category at every priority: code, priority and its FilingCategory (as `category`). */
export const CATALOGUE_SQL = `
  SELECT cat.code, l.priority, ${CATEGORY_JSON} AS category
    FROM case_categories cat JOIN case_category_limits l ON l.category_code = cat.code`;

/** The clock of category $code at priority $priority, or null when either is unknown. */
export async function categoryClock(client: Queryable, code: string, priority: string): Promise<CategoryClock | null> {
  return (await filingCategory(client, code, priority))?.clock ?? null;
}

/** The category as a filing needs it, or null when the code or priority is unknown. */
export async function filingCategory(client: Queryable, code: string, priority: string): Promise<FilingCategory | null> {
  return (await client.query<{ c: FilingCategory | null }>(`SELECT (${categorySql('$1', '$2')}) AS c`, [code, priority])).rows[0].c;
}
