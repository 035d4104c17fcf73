// A community's 大党委 member units (包保): its lead unit and 3–5 responsible units, the units
// its secretary may whistle to a case. The list itself is the community_partner_units view.
import type { CommunityPartners } from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';

/** The partner units of a community with their names, the lead unit first. */
export async function partnerUnits(db: Queryable, communityId: number): Promise<CommunityPartners['units']> {
  return (await db.query<CommunityPartners['units'][number]>(
    `SELECT u.department_id, d.name, u.role
       FROM community_partner_units u JOIN departments d ON d.id = u.department_id
      WHERE u.community_id = $1
      ORDER BY u.role = 'lead' DESC, d.code`, [communityId])).rows;
}
