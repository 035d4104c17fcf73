// A user's scope as something the UI can show: level, id, code and name.
import type { ScopeInfo } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import type { User } from '../auth/scope.ts';

type Unit = { id: number; code: string; name: string; pid: number; pname: string };

export async function describeScope(db: Db, u: User): Promise<ScopeInfo> {
  if (u.community_id != null) {
    const { rows } = await db.query<Unit>(
      `SELECT c.id, c.code, c.name, s.id AS pid, s.name AS pname FROM communities c JOIN subdistricts s ON s.id = c.subdistrict_id WHERE c.id = $1`, [u.community_id]);
    return { level: 'community', id: rows[0].id, code: rows[0].code, name: rows[0].name, parent: { id: rows[0].pid, name: rows[0].pname } };
  }
  if (u.grid_id != null) {
    const { rows } = await db.query<Unit>(
      `SELECT g.id, g.code, g.name, c.id AS pid, c.name AS pname FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.id = $1`, [u.grid_id]);
    return { level: 'grid', id: rows[0].id, code: rows[0].code, name: rows[0].name, parent: { id: rows[0].pid, name: rows[0].pname } };
  }
  if (u.subdistrict_id != null) {
    const { rows } = await db.query<Unit>(`SELECT id, code, name FROM subdistricts WHERE id = $1`, [u.subdistrict_id]);
    return { level: 'subdistrict', id: rows[0].id, code: rows[0].code, name: rows[0].name };
  }
  if (u.department_id != null) {
    const { rows } = await db.query<Unit>(`SELECT id, code, name FROM departments WHERE id = $1`, [u.department_id]);
    return { level: 'department', id: rows[0].id, code: rows[0].code, name: rows[0].name };
  }
  return { level: 'city', id: null, code: null, name: '恩施市' };
}
