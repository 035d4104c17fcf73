// What a community secretary (and a grid worker or subdistrict admin) works with: the
// household register with personal fields, the grid roster, and the 双定三联 links drawn as
// lines. Only roles that see personal data get these (403 for the others), and only rows
// in their own area (the scope conditions are part of every query).
import { Hono } from 'hono';
import {
  linksQuery, recordsQuery, rosterQuery,
  type CadreLinkLine, type HouseholdPage, type HouseholdRecord, type RosterGrid,
} from '@grid-atlas/contract';
import { requirePersonalData } from '../auth/authorize.ts';
import { assertVisible, inScope, scopeParams, type User } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { validQuery } from '../http/validate.ts';

const HOUSEHOLD_SCOPE = inScope(1, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' });

// "Unlinked" means no in-service party member (双定三联) is linked to the household yet.
const RECORDS_SQL = `
  SELECT h.id, h.head_name, h.phone, h.address, h.building, h.size, h.in_difficulty,
         g.id AS grid_id, g.name AS grid_name, cm.id AS community_id,
         ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
         coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'link', l.kind) ORDER BY c.kind, c.id)
                     FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id WHERE l.household_id = h.id), '[]') AS cadres,
         count(*) OVER () AS total
    FROM households h
    JOIN grids g ON g.id = h.grid_id
    JOIN communities cm ON cm.id = g.community_id
   WHERE ${HOUSEHOLD_SCOPE}
     AND ($5::int IS NULL OR cm.id = $5)
     AND ($6::int IS NULL OR g.id = $6)
     AND ($7::text IS NULL OR h.head_name LIKE $7 OR h.address LIKE $7 OR h.phone LIKE $7)
     AND ($8::boolean IS NULL OR h.in_difficulty = $8)
     AND ($9::boolean IS NULL OR $9 = NOT EXISTS (
           SELECT 1 FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id
            WHERE l.household_id = h.id AND c.kind = 'in_service'))
   ORDER BY g.number, h.id
   LIMIT $10 OFFSET $11`;

const ROSTER_SQL = `
  SELECT g.id, g.code, g.number, g.name,
         (SELECT json_agg(json_build_object('id', w.id, 'name', w.name, 'phone', w.phone))
            FROM cadres w WHERE w.kind = 'grid_worker' AND w.grid_id = g.id) AS grid_workers,
         (SELECT count(*) FROM households h WHERE h.grid_id = g.id) AS households,
         (SELECT count(*) FROM households h WHERE h.grid_id = g.id AND h.in_difficulty) AS in_difficulty,
         (SELECT count(DISTINCT l.cadre_id) FROM cadre_household_links l JOIN households h ON h.id = l.household_id
           WHERE h.grid_id = g.id) AS linked_cadres,
         (SELECT count(DISTINCT l.cadre_id) FROM cadre_household_links l JOIN households h ON h.id = l.household_id
            JOIN cadres c ON c.id = l.cadre_id WHERE h.grid_id = g.id AND c.kind = 'in_service') AS in_service_members,
         (SELECT count(*) FROM households h WHERE h.grid_id = g.id AND NOT EXISTS (
            SELECT 1 FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id
             WHERE l.household_id = h.id AND c.kind = 'in_service')) AS without_in_service_link
    FROM grids g
    JOIN communities cm ON cm.id = g.community_id
   WHERE ${HOUSEHOLD_SCOPE}
     AND ($5::int IS NULL OR cm.id = $5)
   ORDER BY cm.code, g.number`;

// In-service members' links, as lines from the member's home to the household.
const LINKS_SQL = `
  SELECT c.id AS cadre_id, c.name AS cadre_name, l.kind, h.id AS household_id,
         ST_X(c.geom) AS from_lon, ST_Y(c.geom) AS from_lat, ST_X(h.geom) AS to_lon, ST_Y(h.geom) AS to_lat
    FROM cadre_household_links l
    JOIN cadres c ON c.id = l.cadre_id AND c.kind = 'in_service'
    JOIN households h ON h.id = l.household_id
    JOIN grids g ON g.id = h.grid_id
    JOIN communities cm ON cm.id = g.community_id
   WHERE ${HOUSEHOLD_SCOPE}
     AND ($5::int IS NULL OR cm.id = $5)
     AND ($6::int IS NULL OR g.id = $6)
   ORDER BY c.id, h.id`;

export function communityRoutes(db: Db) {
  /** The user's scope, after checking that the community and grid they filter by are theirs. */
  const visible = async (u: User, q: { community?: number; grid?: number }) => {
    await assertVisible(db, u, 'community', q.community);
    await assertVisible(db, u, 'grid', q.grid);
    return scopeParams(u);
  };

  return new Hono<AppEnv>()
    .use('/households/records', requirePersonalData)
    .use('/roster', requirePersonalData)
    .use('/links', requirePersonalData)
    .get('/households/records', validQuery(recordsQuery), async (c) => {
      const q = c.req.valid('query');
      const scope = await visible(c.get('user'), q);
      const pattern = q.q ? `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
      const { rows } = await db.query<HouseholdRecord & { total: number }>(RECORDS_SQL, [
        ...scope, q.community ?? null, q.grid ?? null, pattern, q.difficulty ?? null, q.unlinked ?? null,
        q.limit ?? 100, q.offset ?? 0,
      ]);
      const page: HouseholdPage = { total: rows[0]?.total ?? 0, households: rows.map(({ total: _t, ...r }) => r) };
      return c.json(page);
    })
    .get('/roster', validQuery(rosterQuery), async (c) => {
      const q = c.req.valid('query');
      const scope = await visible(c.get('user'), q);
      const { rows } = await db.query<RosterGrid>(ROSTER_SQL, [...scope, q.community ?? null]);
      return c.json({ grids: rows });
    })
    .get('/links', validQuery(linksQuery), async (c) => {
      const q = c.req.valid('query');
      const scope = await visible(c.get('user'), q);
      const { rows } = await db.query<CadreLinkLine>(LINKS_SQL, [...scope, q.community ?? null, q.grid ?? null]);
      return c.json({ links: rows });
    });
}
