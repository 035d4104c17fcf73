// A user's scope as something the UI can show: level, id, code and name.
import type { Db } from '../db/index.ts';
import type { User } from '../auth/roles.ts';

export interface ScopeInfo {
  level: 'city' | 'subdistrict' | 'community' | 'grid' | 'department';
  id: number | null;
  code: string | null;
  name: string;
  /** For a grid: its community; for a community: its subdistrict. */
  parent?: { id: number; name: string };
}

export async function describeScope(db: Db, u: User): Promise<ScopeInfo> {
  if (u.community_id != null) {
    const { rows } = await db.query(
      `SELECT c.id, c.code, c.name, s.id AS pid, s.name AS pname FROM communities c JOIN subdistricts s ON s.id = c.subdistrict_id WHERE c.id = $1`, [u.community_id]);
    return { level: 'community', id: rows[0].id, code: rows[0].code, name: rows[0].name, parent: { id: rows[0].pid, name: rows[0].pname } };
  }
  if (u.grid_id != null) {
    const { rows } = await db.query(
      `SELECT g.id, g.code, g.name, c.id AS pid, c.name AS pname FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.id = $1`, [u.grid_id]);
    return { level: 'grid', id: rows[0].id, code: rows[0].code, name: rows[0].name, parent: { id: rows[0].pid, name: rows[0].pname } };
  }
  if (u.subdistrict_id != null) {
    const { rows } = await db.query(`SELECT id, code, name FROM subdistricts WHERE id = $1`, [u.subdistrict_id]);
    return { level: 'subdistrict', id: rows[0].id, code: rows[0].code, name: rows[0].name };
  }
  if (u.department_id != null) {
    const { rows } = await db.query(`SELECT id, code, name FROM departments WHERE id = $1`, [u.department_id]);
    return { level: 'department', id: rows[0].id, code: rows[0].code, name: rows[0].name };
  }
  return { level: 'city', id: null, code: null, name: '恩施市' };
}
