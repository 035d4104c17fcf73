// What a community secretary (and a grid worker or subdistrict admin) works with: the
// household register with personal fields, the grid roster, and the 双定三联 links drawn as
// lines. Only roles that see personal data get these (403 for the others), and only rows
// in their own area (the scope conditions are part of every query).
import { Hono } from 'hono';
import {
  businessLinksQuery, linksQuery, recordsQuery, rosterQuery,
  type BusinessLinkLine, type BusinessLinksResponse, type BusinessPoint, type CadreLinkLine, type HouseholdPage, type HouseholdRecord, type RosterGrid,
} from '@grid-atlas/contract';
import { requirePersonalData } from '../auth/authorize.ts';
import { assertVisible, inScope, scopeParams, type User } from '../auth/scope.ts';
import type { Db } from '../db/index.ts';
import { encode, sendPrivateJson, VersionedCache } from '../http/cached-body.ts';
import type { AppEnv } from '../http/env.ts';
import { cadreGridSql } from './cadre-grid.ts';
import { validQuery } from '../http/validate.ts';

const HOUSEHOLD_SCOPE = inScope(1, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' });

// "Unlinked" means no in-service party member (双定三联) is linked to the household yet
// (households.in_service_linked, kept by triggers on the links: sql/migrations/0015).
// The page's ids are chosen first from the narrow columns (scope, filters, sort key), and
// only those ≤ 500 rows get their details and cadre lists: the work no longer grows with
// the offset, and a page past the end costs one count. The single row with a NULL id that
// an empty page yields carries the total.
export const RECORDS_SQL = `
  WITH matched AS (
    SELECT h.id, g.number
      FROM households h
      JOIN grids g ON g.id = h.grid_id
      JOIN communities cm ON cm.id = g.community_id
     WHERE ${HOUSEHOLD_SCOPE}
       AND ($5::int IS NULL OR cm.id = $5)
       AND ($6::int IS NULL OR g.id = $6)
       AND ($7::text IS NULL OR h.head_name LIKE $7 OR h.address LIKE $7 OR h.phone LIKE $7)
       AND ($8::boolean IS NULL OR h.in_difficulty = $8)
       AND ($9::boolean IS NULL OR h.in_service_linked = NOT $9)
  ),
  page AS (SELECT id, number FROM matched ORDER BY number, id LIMIT $10 OFFSET $11)
  SELECT d.id, d.head_name, d.phone, d.address, d.building, d.size, d.in_difficulty,
         d.grid_id, d.grid_name, d.community_id, d.lon, d.lat, d.cadres,
         (SELECT count(*) FROM matched) AS total
    FROM (SELECT 1) one
    LEFT JOIN (
      SELECT h.id, h.head_name, h.phone, h.address, h.building, h.size, h.in_difficulty,
             g.id AS grid_id, g.name AS grid_name, g.community_id, p.number,
             ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
             coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'link', l.kind) ORDER BY c.kind, c.id)
                         FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id WHERE l.household_id = h.id), '[]') AS cadres
        FROM page p
        JOIN households h ON h.id = p.id
        JOIN grids g ON g.id = h.grid_id
    ) d ON true
   ORDER BY d.number, d.id`;

// One pass per table, grouped by grid, instead of six correlated subqueries per grid.
export const ROSTER_SQL = `
  WITH gs AS (
    SELECT g.id, g.code, g.number, g.name, cm.code AS community_code
      FROM grids g
      JOIN communities cm ON cm.id = g.community_id
     WHERE ${HOUSEHOLD_SCOPE}
       AND ($5::int IS NULL OR cm.id = $5)
  ),
  hh AS (
    SELECT h.grid_id, count(*) AS households, count(*) FILTER (WHERE h.in_difficulty) AS in_difficulty
      FROM households h JOIN gs ON gs.id = h.grid_id
     GROUP BY h.grid_id
  ),
  -- 联系干部 as on every other level (cadre-grid.ts): the cadres linked here, each counted in one grid.
  mine AS (
    SELECT DISTINCT l.cadre_id
      FROM households h JOIN gs ON gs.id = h.grid_id JOIN cadre_household_links l ON l.household_id = h.id
  ),
  counted AS (
    SELECT cg.grid_id, count(*) AS linked_cadres
      FROM (${cadreGridSql('mine m JOIN cadre_household_links l ON l.cadre_id = m.cadre_id')}) cg
      JOIN gs ON gs.id = cg.grid_id
     GROUP BY cg.grid_id
  ),
  links AS (
    SELECT h.grid_id,
           count(DISTINCT l.cadre_id) FILTER (WHERE c.kind = 'in_service') AS in_service_members,
           count(DISTINCT l.household_id) FILTER (WHERE c.kind = 'in_service') AS in_service_linked
      FROM households h
      JOIN gs ON gs.id = h.grid_id
      JOIN cadre_household_links l ON l.household_id = h.id
      JOIN cadres c ON c.id = l.cadre_id
     GROUP BY h.grid_id
  ),
  workers AS (
    SELECT w.grid_id, json_agg(json_build_object('id', w.id, 'name', w.name, 'phone', w.phone) ORDER BY w.id) AS grid_workers
      FROM cadres w JOIN gs ON gs.id = w.grid_id
     WHERE w.kind = 'grid_worker'
     GROUP BY w.grid_id
  )
  SELECT gs.id, gs.code, gs.number, gs.name, workers.grid_workers,
         coalesce(hh.households, 0) AS households,
         coalesce(hh.in_difficulty, 0) AS in_difficulty,
         coalesce(counted.linked_cadres, 0) AS linked_cadres,
         coalesce(links.in_service_members, 0) AS in_service_members,
         coalesce(hh.households, 0) - coalesce(links.in_service_linked, 0) AS without_in_service_link
    FROM gs
    LEFT JOIN hh ON hh.grid_id = gs.id
    LEFT JOIN links ON links.grid_id = gs.id
    LEFT JOIN counted ON counted.grid_id = gs.id
    LEFT JOIN workers ON workers.grid_id = gs.id
   ORDER BY gs.community_code, gs.number`;

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

// 双定三联's third link: the businesses (经营主体) in scope, each in the grid covering its point
// now (a plan moves grids, not businesses), and the in-service members linked to them.
const BUSINESSES_IN_SCOPE = `
  SELECT b.id, b.code, b.name, b.kind, b.trade, b.address, b.community_id, g.id AS grid_id, b.geom, b.synthetic
    FROM businesses b
    JOIN communities cm ON cm.id = b.community_id
    LEFT JOIN LATERAL (SELECT g.id FROM grids g WHERE g.community_id = cm.id AND ST_Covers(g.geom, b.geom) ORDER BY g.id LIMIT 1) g ON true
   WHERE ${HOUSEHOLD_SCOPE}
     AND ($5::int IS NULL OR cm.id = $5)
     AND ($6::int IS NULL OR g.id = $6)`;
const BUSINESSES_SQL = `
  SELECT b.id, b.code, b.name, b.kind, b.trade, b.address, b.community_id, b.grid_id,
         ST_X(b.geom) AS lon, ST_Y(b.geom) AS lat, b.synthetic,
         (SELECT count(*)::int FROM cadre_business_links l WHERE l.business_id = b.id) AS members
    FROM (${BUSINESSES_IN_SCOPE}) b
   ORDER BY b.code`;
const BUSINESS_LINKS_SQL = `
  SELECT c.id AS cadre_id, c.name AS cadre_name, b.id AS business_id, b.name AS business_name,
         ST_X(c.geom) AS from_lon, ST_Y(c.geom) AS from_lat, ST_X(b.geom) AS to_lon, ST_Y(b.geom) AS to_lat,
         round(ST_Distance(c.geom::geography, b.geom::geography))::int AS distance_m
    FROM (${BUSINESSES_IN_SCOPE}) b
    JOIN cadre_business_links l ON l.business_id = b.id
    JOIN cadres c ON c.id = l.cadre_id
   ORDER BY c.id, b.id`;

export function communityRoutes(db: Db) {
  /** The user's scope, after checking that the community and grid they filter by are theirs. */
  const visible = async (u: User, q: { community?: number; grid?: number }) => {
    await assertVisible(db, u, 'community', q.community);
    await assertVisible(db, u, 'grid', q.grid);
    return scopeParams(u);
  };

  // The roster and the links change only with the data (every table they read bumps the data
  // version), yet a subdistrict's take 100–300 ms to aggregate and serialise on the embedded
  // database: they are built once per data version and scope, after the visibility checks.
  // A city-wide links body is ~15 MB, so few entries are kept.
  const cache = new VersionedCache(24);
  const cached = (version: number, key: (string | number | boolean | null)[], build: () => Promise<unknown>) =>
    cache.get(key.join(':'), version, async () => encode(JSON.stringify(await build()), 'application/json; charset=UTF-8'));

  return new Hono<AppEnv>()
    .use('/households/records', requirePersonalData)
    .use('/roster', requirePersonalData)
    .use('/links', requirePersonalData)
    .use('/business-links', requirePersonalData)
    .get('/households/records', validQuery(recordsQuery), async (c) => {
      const q = c.req.valid('query');
      const scope = await visible(c.get('user'), q);
      const pattern = q.q ? `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
      const { rows } = await db.query<HouseholdRecord & { total: number }>(RECORDS_SQL, [
        ...scope, q.community ?? null, q.grid ?? null, pattern, q.difficulty ?? null, q.unlinked ?? null,
        q.limit ?? 100, q.offset ?? 0,
      ]);
      // An empty page is one row with a NULL id that carries the total (see RECORDS_SQL).
      const page: HouseholdPage = {
        total: rows[0]?.total ?? 0,
        households: rows.filter((r) => r.id !== null).map(({ total: _t, ...r }) => r),
      };
      return c.json(page);
    })
    .get('/roster', validQuery(rosterQuery), async (c) => {
      const q = c.req.valid('query');
      const scope = await visible(c.get('user'), q);
      const body = await cached(c.get('dataVersion'), ['roster', ...scope, q.community ?? null], async () =>
        ({ grids: (await db.query<RosterGrid>(ROSTER_SQL, [...scope, q.community ?? null])).rows }));
      return sendPrivateJson<{ grids: RosterGrid[] }>(c, body);
    })
    .get('/links', validQuery(linksQuery), async (c) => {
      const q = c.req.valid('query');
      const scope = await visible(c.get('user'), q);
      const body = await cached(c.get('dataVersion'), ['links', ...scope, q.community ?? null, q.grid ?? null], async () =>
        ({ links: (await db.query<CadreLinkLine>(LINKS_SQL, [...scope, q.community ?? null, q.grid ?? null])).rows }));
      return sendPrivateJson<{ links: CadreLinkLine[] }>(c, body);
    })
    .get('/business-links', validQuery(businessLinksQuery), async (c) => {
      const q = c.req.valid('query');
      const scope = await visible(c.get('user'), q);
      const params = [...scope, q.community ?? null, q.grid ?? null];
      const body = await cached(c.get('dataVersion'), ['business-links', ...params], async () => {
        const [businesses, links] = await Promise.all([
          db.query<BusinessPoint>(BUSINESSES_SQL, params),
          db.query<BusinessLinkLine>(BUSINESS_LINKS_SQL, params),
        ]);
        return { businesses: businesses.rows, links: links.rows } satisfies BusinessLinksResponse;
      });
      return sendPrivateJson<BusinessLinksResponse>(c, body);
    });
}
