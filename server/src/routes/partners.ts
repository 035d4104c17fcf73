// GET /api/communities/:id/partners: a community's 大党委 and 包保 — its linked prefecture and
// city leaders, its lead unit and responsible units (the units its secretary may whistle to a
// case). Organisation, not personal data: every signed-in role reads it for a community its
// area holds or lies in (a secretary her own, a grid worker his grid's, city-wide roles any);
// any other community is a 404, decided in the query itself.
import { Hono } from 'hono';
import type { CommunityPartners } from '@grid-atlas/contract';
import { scopeParams } from '../auth/scope.ts';
import { partnerUnits } from '../cases/partners.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { pathId } from '../http/validate.ts';

// $1–$4 the caller's scope, $5 the community: visible when the scope holds it or lies inside it.
const PARTNERS_SQL = `
  SELECT c.id AS community_id, c.name AS community_name, p.prefecture_leader, p.city_leader, p.synthetic
    FROM communities c JOIN community_partners p ON p.community_id = c.id
   WHERE c.id = $5 AND ($1::boolean OR c.subdistrict_id = $2::int OR c.id = $3::int
         OR EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id AND g.id = $4::int))`;

export function partnerRoutes(db: Db) {
  return new Hono<AppEnv>().get('/communities/:id/partners', async (c) => {
    const id = pathId(c.req.param('id'));
    const { rows } = await db.query<Omit<CommunityPartners, 'units'>>(PARTNERS_SQL, [...scopeParams(c.get('user')), id]);
    if (!rows[0]) throw notFound(`社区 ${id} 不存在或不在您的管辖范围内 (no community with id ${id} in your scope)`);
    const body: CommunityPartners = { ...rows[0], units: await partnerUnits(db, id) };
    c.header('Cache-Control', 'private, max-age=300');
    return c.json(body);
  });
}
