// Who sees what. A user's scope is their subdistrict, community or grid (area roles) or the
// whole city (every other role). Every scoped query takes the four ScopeParams values as
// parameters, in this one order, and every visibility rule lives here.
import type { Role } from '@grid-atlas/contract';
import type { Queryable } from '../db/index.ts';
import { notFound } from '../http/errors.ts';

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  subdistrict_id: number | null;
  community_id: number | null;
  grid_id: number | null;
  department_id: number | null;
  /** party_member only: the in-service cadre the account is (a case may be dispatched to them). */
  cadre_id?: number | null;
}

/**
 * Query parameters that restrict rows to a user's area: `city` sees everything, otherwise a
 * row is visible when it lies in the user's subdistrict, community or grid.
 */
export type ScopeParams = [city: boolean, subdistrict: number | null, community: number | null, grid: number | null];

export function scopeParams(u: User): ScopeParams {
  // The account's own scope columns decide, not the role: a task-force member (专班) may be
  // scoped to a community or to the whole city.
  const city = u.subdistrict_id == null && u.community_id == null && u.grid_id == null;
  return [city, u.subdistrict_id, u.community_id, u.grid_id];
}

/**
 * SQL condition that a row is in scope, given the row's subdistrict, community and grid id
 * expressions ('NULL' for a level the row does not belong to) and the parameter number of
 * the first ScopeParams value. All four parameters are always referenced, so Postgres can
 * type them even where a level does not apply.
 */
export function inScope(p: number, cols: { subdistrict: string; community: string; grid: string }): string {
  return `($${p}::boolean OR ${cols.subdistrict} = $${p + 1}::int OR ${cols.community} = $${p + 2}::int OR ${cols.grid} = $${p + 3}::int)`;
}

export type UnitKind = 'subdistrict' | 'community' | 'grid';

// A unit is visible when the user's scope contains it or lies inside it: a secretary may
// filter grids by their own community, or by the subdistrict around it; a grid worker sees
// their grid, its community and its subdistrict. Parameters: $1–$4 the scope, $5 the unit id.
const VISIBLE_SQL: Record<UnitKind, string> = {
  subdistrict: `
    SELECT 1 FROM subdistricts s WHERE s.id = $5 AND ($1::boolean OR s.id = $2::int
       OR EXISTS (SELECT 1 FROM communities c WHERE c.subdistrict_id = s.id AND c.id = $3::int)
       OR EXISTS (SELECT 1 FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.subdistrict_id = s.id AND g.id = $4::int))`,
  community: `
    SELECT 1 FROM communities c WHERE c.id = $5 AND ($1::boolean OR c.subdistrict_id = $2::int OR c.id = $3::int
       OR EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id AND g.id = $4::int))`,
  grid: `
    SELECT 1 FROM grids g JOIN communities c ON c.id = g.community_id
     WHERE g.id = $5 AND ${inScope(1, { subdistrict: 'c.subdistrict_id', community: 'c.id', grid: 'g.id' })}`,
};
const ZH: Record<UnitKind, string> = { subdistrict: '街道', community: '社区', grid: '网格' };

/**
 * A department filter: the unit must exist, and for a unit's staff member (when `user` is
 * given: a list scoped to them, such as cases) be their own unit. A 404 otherwise.
 */
export async function assertDepartment(db: Queryable, user: User | null, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  const own = user?.role === 'department_staff' ? user.department_id : null;
  const { rowCount } = await db.query('SELECT 1 FROM departments d WHERE d.id = $1 AND ($2::int IS NULL OR d.id = $2::int)', [id, own]);
  if (!rowCount) throw notFound(`单位 ${id} 不存在 (no department with id ${id})`);
}

/**
 * A filter naming a unit that does not exist, or that the user may not see, is a 404 (not
 * an empty list that looks like "no data", and not a 403 that would confirm it exists).
 */
export async function assertVisible(db: Queryable, user: User, kind: UnitKind, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  const { rowCount } = await db.query(VISIBLE_SQL[kind], [...scopeParams(user), id]);
  if (!rowCount) throw notFound(`${ZH[kind]} ${id} 不存在 (no ${kind} with id ${id})`);
}
