// GET /api/powers: the 权力下放清单 — the 72 statutory powers and 217 enforcement items delegated to
// the subdistricts, each with its field, former unit, handling level and case categories. The
// same list for the whole city, no personal data: every signed-in role reads it. Filters: kind,
// a case category (404 when there is no such category), a search in the code or name.
import { Hono } from 'hono';
import { powerQuery, type CasePower, type PowerList } from '@grid-atlas/contract';
import type { Db, Queryable } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { validQuery } from '../http/validate.ts';

const ITEM_COLUMNS = `i.id, i.code, i.kind, i.name, i.field, d.name AS department_name, i.handling_level`;

const LIST_SQL = `
  SELECT ${ITEM_COLUMNS},
         coalesce((SELECT json_agg(json_build_object('code', cat.code, 'name', cat.name) ORDER BY cat.sort)
                     FROM power_item_categories pc JOIN case_categories cat ON cat.code = pc.category_code
                    WHERE pc.item_id = i.id), '[]') AS categories
    FROM power_items i LEFT JOIN departments d ON d.code = i.department_code
   WHERE ($1::text IS NULL OR i.kind = $1)
     AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM power_item_categories pc WHERE pc.item_id = i.id AND pc.category_code = $2))
     AND ($3::text IS NULL OR i.code LIKE $3 OR i.name LIKE $3)
   ORDER BY i.sort`;

/** Where a case of `category` stands in the list: its item, or none when the subdistrict does not hold the power. */
export async function casePower(db: Queryable, category: string): Promise<CasePower> {
  const { rows } = await db.query<{ held: boolean; item: CasePower['item'] }>(
    `SELECT p.held, CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object(
              'id', i.id, 'code', i.code, 'kind', i.kind, 'name', i.name, 'field', i.field,
              'department_name', d.name, 'handling_level', i.handling_level) END AS item
       FROM case_category_powers p
       LEFT JOIN power_items i ON i.id = p.item_id
       LEFT JOIN departments d ON d.code = i.department_code
      WHERE p.category_code = $1`, [category]);
  return rows[0] ?? { held: false, item: null };
}

export function powerRoutes(db: Db) {
  return new Hono<AppEnv>().get('/powers', validQuery(powerQuery), async (c) => {
    const q = c.req.valid('query');
    if (q.category && !(await db.query('SELECT 1 FROM case_categories WHERE code = $1', [q.category])).rowCount) {
      throw notFound(`没有此案件类别 (no case category ${q.category})`);
    }
    const pattern = q.q ? `%${q.q.replace(/[\\%_]/g, (m: string) => `\\${m}`)}%` : null;
    const [items, counts] = [
      await db.query<PowerList['items'][number]>(LIST_SQL, [q.kind ?? null, q.category ?? null, pattern]),
      await db.query<{ kind: 'statutory_power' | 'enforcement'; n: number }>('SELECT kind, count(*)::int AS n FROM power_items GROUP BY kind'),
    ];
    const body: PowerList = {
      counts: { statutory_power: 0, enforcement: 0, ...Object.fromEntries(counts.rows.map((r) => [r.kind, r.n])) },
      total: items.rows.length,
      items: items.rows,
    };
    c.header('Cache-Control', 'private, max-age=300');
    return c.json(body);
  });
}
