// 五社联动 (the registry of social organisations):
//   GET /organisations[?kind=&community=ID&serves=1&q=&limit=&offset=]
//       every signed-in role: the whole city's registry (organisation data, no personal data),
//       filtered by kind, by the community it is based in (or, with serves=1, the communities
//       it serves: its own, or every one when it is city-wide) and by name; with the counts of
//       the whole registry by kind
//   GET /organisations/:id
//       one organisation and the needs dispatched to it that the caller may see
// The needs an organisation holds are counted and listed within the caller's need scope, in
// SQL (needInScope in auth/scope.ts); a need is dispatched to an organisation through POST /needs/:id/actions.
import { Hono } from 'hono';
import { noParams, ORGANISATION_KINDS, organisationQuery, type Organisation, type OrganisationDetail, type OrganisationList } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { pathId, validQuery } from '../http/validate.ts';
import { needInScope, needScopeParams } from '../auth/scope.ts';

// $1–$7: the caller's need scope.
const COLUMNS = `o.id, o.code, o.kind, o.name, o.description, o.community_id, c.name AS community_name,
  s.name AS subdistrict_name, o.city_wide, ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat, o.synthetic, o.active,
  (SELECT count(*)::int FROM needs n WHERE n.organisation_id = o.id AND n.status IN ('dispatched', 'claimed') AND ${needInScope(1)}) AS open_needs,
  (SELECT count(*)::int FROM needs n WHERE n.organisation_id = o.id AND n.status = 'fulfilled' AND ${needInScope(1)}) AS fulfilled_needs`;
/** The list's filters from parameter `p` on: kind, community, serves (boolean), name. */
const matching = (p: number) => `($${p}::text IS NULL OR o.kind = $${p})
  AND ($${p + 1}::int IS NULL OR o.community_id = $${p + 1} OR ($${p + 2}::boolean AND o.city_wide))
  AND ($${p + 3}::text IS NULL OR strpos(o.name, $${p + 3}) > 0)`;
const FROM = `social_organisations o JOIN communities c ON c.id = o.community_id JOIN subdistricts s ON s.id = c.subdistrict_id`;

export function organisationRoutes(db: Db) {
  return new Hono<AppEnv>()
    .get('/organisations', validQuery(organisationQuery), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      if (q.community !== undefined) {
        const { rowCount } = await db.query('SELECT 1 FROM communities WHERE id = $1', [q.community]);
        if (!rowCount) throw notFound(`社区 ${q.community} 不存在 (no community with id ${q.community})`);
      }
      const filters = [q.kind ?? null, q.community ?? null, q.serves === '1', q.q ?? null];
      const [list, total, counts] = await Promise.all([
        db.query<Organisation>(
          `SELECT ${COLUMNS} FROM ${FROM} WHERE ${matching(8)}
            ORDER BY array_position($12::text[], o.kind), o.community_id = $9 DESC, c.code, o.code LIMIT $13 OFFSET $14`,
          [...needScopeParams(u), ...filters, [...ORGANISATION_KINDS], q.limit ?? 100, q.offset ?? 0]),
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${FROM} WHERE ${matching(1)}`, filters),
        db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM social_organisations GROUP BY kind'),
      ]);
      const body: OrganisationList = {
        counts: Object.fromEntries(ORGANISATION_KINDS.map((k) => [k, counts.rows.find((r) => r.kind === k)?.n ?? 0])) as OrganisationList['counts'],
        total: total.rows[0].n,
        organisations: list.rows,
      };
      return c.json(body);
    })
    .get('/organisations/:id', validQuery(noParams), async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const org = (await db.query<Organisation>(`SELECT ${COLUMNS} FROM ${FROM} WHERE o.id = $8`, [...needScopeParams(u), id])).rows[0];
      if (!org) throw notFound(`社会组织 ${id} 不存在 (no organisation with id ${id})`);
      const needs = (await db.query<OrganisationDetail['needs'][number]>(
        `SELECT n.id, n.title, n.status, cm.name AS community_name,
                to_char(n.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
           FROM needs n JOIN communities cm ON cm.id = n.community_id
          WHERE n.organisation_id = $8 AND ${needInScope(1)} ORDER BY n.updated_at DESC, n.id DESC LIMIT 50`,
        [...needScopeParams(u), id])).rows;
      const body: OrganisationDetail = { organisation: org, needs };
      return c.json(body);
    });
}
