// What a community secretary (and a grid worker or subdistrict admin) works with: the
// household register with personal fields, the grid roster, and the 双定三联 links drawn as
// lines. Only roles that see personal data get these (403 for the others), and only rows
// in their own area (the scope conditions are part of every query).
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { inScope, scopeParams, seesPersonalData, type User } from '../auth/roles.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { idParam, parseQuery } from '../http/query.ts';

function requirePersonalAccess(u: User) {
  if (!seesPersonalData(u)) {
    throw new HTTPException(403, { message: '此角色不能查看住户个人信息 (this role does not see personal household data)' });
  }
}

const HOUSEHOLD_SCOPE = inScope(1, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' });

const recordsQuery = z.object({
  community: idParam.optional(),
  grid: idParam.optional(),
  q: z.string().trim().max(50, '搜索词最多 50 个字符 (search text: at most 50 characters)').optional(),
  difficulty: z.enum(['true', 'false']).optional(),
  unlinked: z.enum(['true', 'false']).optional(),
  limit: z.string().regex(/^\d+$/, '应为整数 (expected an integer)').transform(Number)
    .pipe(z.number().int().min(1).max(500, '最多 500 条 (at most 500 per page)')).optional(),
  offset: z.string().regex(/^\d{1,7}$/, '应为 0–9999999 的整数 (expected an integer from 0 to 9999999)').transform(Number).optional(),
}).strict();

// "Unlinked" means no in-service party member (双定三联) is linked to the household yet.
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
       AND ($9::boolean IS NULL OR $9 = NOT EXISTS (
             SELECT 1 FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id
              WHERE l.household_id = h.id AND c.kind = 'in_service'))
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
  links AS (
    SELECT h.grid_id,
           count(DISTINCT l.cadre_id) AS linked_cadres,
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
         coalesce(links.linked_cadres, 0) AS linked_cadres,
         coalesce(links.in_service_members, 0) AS in_service_members,
         coalesce(hh.households, 0) - coalesce(links.in_service_linked, 0) AS without_in_service_link
    FROM gs
    LEFT JOIN hh ON hh.grid_id = gs.id
    LEFT JOIN links ON links.grid_id = gs.id
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

const GRID_VISIBLE_SQL = `
  SELECT 1 FROM grids g JOIN communities cm ON cm.id = g.community_id WHERE g.id = $5 AND ${HOUSEHOLD_SCOPE}`;
const COMMUNITY_VISIBLE_SQL = `
  SELECT 1 FROM communities cm WHERE cm.id = $5
     AND ($1::boolean OR cm.subdistrict_id = $2::int OR cm.id = $3::int
          OR EXISTS (SELECT 1 FROM grids g WHERE g.community_id = cm.id AND g.id = $4::int))`;

export function communityRoutes(db: Db) {
  const visible = async (u: User, q: { community?: number; grid?: number }) => {
    const scope = scopeParams(u);
    if (q.community !== undefined && !(await db.query(COMMUNITY_VISIBLE_SQL, [...scope, q.community])).rowCount) {
      throw notFound(`社区 ${q.community} 不存在 (no community with id ${q.community})`);
    }
    if (q.grid !== undefined && !(await db.query(GRID_VISIBLE_SQL, [...scope, q.grid])).rowCount) {
      throw notFound(`网格 ${q.grid} 不存在 (no grid with id ${q.grid})`);
    }
    return scope;
  };

  return new Hono<AppEnv>()
    .get('/households/records', async (c) => {
      const u = c.get('user');
      requirePersonalAccess(u);
      const q = parseQuery(c, recordsQuery);
      const scope = await visible(u, q);
      const pattern = q.q ? `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
      const { rows } = await db.query(RECORDS_SQL, [
        ...scope, q.community ?? null, q.grid ?? null, pattern,
        q.difficulty === undefined ? null : q.difficulty === 'true',
        q.unlinked === undefined ? null : q.unlinked === 'true',
        q.limit ?? 100, q.offset ?? 0,
      ]);
      const total = rows[0]?.total ?? 0;
      return c.json({ total, households: rows.filter((r) => r.id !== null).map(({ total: _t, ...r }) => r) });
    })
    .get('/roster', async (c) => {
      const u = c.get('user');
      requirePersonalAccess(u);
      const q = parseQuery(c, z.object({ community: idParam.optional() }).strict());
      const scope = await visible(u, q);
      const { rows } = await db.query(ROSTER_SQL, [...scope, q.community ?? null]);
      return c.json({ grids: rows });
    })
    .get('/links', async (c) => {
      const u = c.get('user');
      requirePersonalAccess(u);
      const q = parseQuery(c, z.object({ community: idParam.optional(), grid: idParam.optional() }).strict());
      const scope = await visible(u, q);
      const { rows } = await db.query(LINKS_SQL, [...scope, q.community ?? null, q.grid ?? null]);
      return c.json({ links: rows });
    });
}
