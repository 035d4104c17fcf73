// Matching (部门端菜): the units whose resources list serves a category at a place, best first.
// Used for a case's dispatcher and for a need's community alike. Active entries with capacity
// that serve the category, in the community or the whole city; the category's default unit
// first, then units with an entry for this community, then the unit with the least open work
// (cases and needs it holds). One row per unit: its best entry.
import type { UnitSuggestion } from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';

export async function suggestUnits(db: Queryable, category: string, community: number, limit = 10): Promise<UnitSuggestion[]> {
  const { rows } = await db.query<UnitSuggestion>(
    `SELECT * FROM (
       SELECT DISTINCT ON (d.id) d.id AS department_id, d.name AS department_name, r.id AS resource_id,
              r.name AS resource_name, r.kind, r.capacity,
              r.community_ids IS NOT NULL AS local,
              d.code IS NOT DISTINCT FROM cat.default_department_code AS default_unit,
              (SELECT count(*)::int FROM cases o WHERE o.assigned_department_id = d.id
                  AND o.status IN ('dispatched', 'claimed', 'in_progress')) AS open_cases,
              (SELECT count(*)::int FROM needs o WHERE o.department_id = d.id
                  AND o.status IN ('dispatched', 'claimed')) AS open_needs
         FROM department_resources r
         JOIN departments d ON d.id = r.department_id
         JOIN case_categories cat ON cat.code = $1
        WHERE r.active AND r.capacity > 0 AND $1 = ANY (r.categories)
          AND (r.community_ids IS NULL OR $2 = ANY (r.community_ids))
        ORDER BY d.id, (r.community_ids IS NOT NULL) DESC, r.capacity DESC, r.id) best
      ORDER BY default_unit DESC, local DESC, open_cases + open_needs, department_id
      LIMIT $3`, [category, community, limit]);
  return rows;
}
