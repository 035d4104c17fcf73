// Creating and changing user accounts (used by the users CLI and the demo-account seeding).
// Scopes are given by code (a subdistrict's 9 digits, a community's 12, a grid's 15, a
// department's D01…), which is what an administrator knows. Every change is audited.
import type pg from 'pg';
import { audit } from '../audit/index.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { ROLES, type Role } from '@grid-atlas/contract';

export const DEMO_PASSWORD = 'enshi-demo';

export interface ScopeCodes {
  subdistrict?: string;
  community?: string;
  grid?: string;
  department?: string;
  /** party_member: the id of the in-service cadre (cadres.id) the account is. */
  cadre?: string;
}

const SCOPE_OF: Partial<Record<Role, keyof ScopeCodes>> = {
  subdistrict_admin: 'subdistrict',
  community_secretary: 'community',
  grid_worker: 'grid',
  department_staff: 'department',
  party_member: 'grid',
};
// task_force: a community, or none for the whole city.
const OPTIONAL_SCOPE_OF: Partial<Record<Role, keyof ScopeCodes>> = { task_force: 'community' };

const SCOPE_SQL: Record<Exclude<keyof ScopeCodes, 'cadre'>, string> = {
  subdistrict: 'SELECT id FROM subdistricts WHERE code = $1',
  community: 'SELECT id FROM communities WHERE code = $1',
  grid: 'SELECT id FROM grids WHERE code = $1',
  department: 'SELECT id FROM departments WHERE code = $1',
};

export class AccountError extends Error {}

/** Resolves a role and scope codes to the four scope columns, with a clear error when they do not fit. */
export async function resolveScope(client: pg.ClientBase, role: string, codes: ScopeCodes) {
  if (!ROLES.includes(role as Role)) throw new AccountError(`未知角色 (unknown role) "${role}"; roles: ${ROLES.join(', ')}`);
  const optional = OPTIONAL_SCOPE_OF[role as Role];
  const needed = SCOPE_OF[role as Role] ?? (optional && codes[optional] ? optional : undefined);
  const given = (Object.keys(codes) as (keyof ScopeCodes)[]).filter((k) => codes[k]);
  const extra = given.filter((k) => k !== needed && !(k === 'cadre' && role === 'party_member'));
  if (extra.length) throw new AccountError(`角色 ${role} 不需要 --${extra.join(', --')} (role ${role} takes no ${extra.join('/')} scope)`);
  const ids = { subdistrict_id: null as number | null, community_id: null as number | null, grid_id: null as number | null, department_id: null as number | null, cadre_id: null as number | null };
  if (needed && needed !== 'cadre') {
    const code = codes[needed];
    if (!code) throw new AccountError(`角色 ${role} 需要 --${needed} <code> (role ${role} needs a ${needed} code)`);
    const { rows } = await client.query(SCOPE_SQL[needed], [code]);
    if (!rows[0]) throw new AccountError(`${needed} ${code} 不存在 (no ${needed} with code ${code})`);
    ids[`${needed}_id`] = rows[0].id;
  }
  if (role === 'party_member') {
    // The account is one in-service party member who lives in (is linked to) that grid.
    if (!codes.cadre || !/^[0-9]{1,9}$/.test(codes.cadre)) throw new AccountError('角色 party_member 需要 --cadre <id> (role party_member needs a cadre id)');
    const { rows } = await client.query(`SELECT id FROM cadres WHERE id = $1 AND kind = 'in_service' AND grid_id = $2`, [Number(codes.cadre), ids.grid_id]);
    if (!rows[0]) throw new AccountError(`党员 ${codes.cadre} 不是该网格的在职党员 (cadre ${codes.cadre} is not an in-service party member of that grid)`);
    ids.cadre_id = rows[0].id;
  }
  return ids;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  scope: ScopeCodes;
  password: string;
}

const USER_COLUMNS = 'id, username, display_name, role, subdistrict_id, community_id, grid_id, department_id, cadre_id, active';

export async function createUser(client: pg.ClientBase, u: NewUser, actor: string, options: { passwordHash?: string } = {}) {
  if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(u.username)) {
    throw new AccountError('用户名只能包含小写字母、数字和 . _ -，2–63 个字符 (username: 2–63 of a-z 0-9 . _ -)');
  }
  const demo = u.password === DEMO_PASSWORD;
  if (!demo) {
    const problem = passwordProblem(u.password);
    if (problem) throw new AccountError(problem);
  }
  const ids = await resolveScope(client, u.role, u.scope);
  const hash = options.passwordHash ?? (await hashPassword(u.password));
  const { rows } = await client.query(
    `INSERT INTO users (username, display_name, role, subdistrict_id, community_id, grid_id, department_id, password_hash, demo_password, cadre_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (username) DO NOTHING
     RETURNING ${USER_COLUMNS}`,
    [u.username, u.displayName, u.role, ids.subdistrict_id, ids.community_id, ids.grid_id, ids.department_id, hash, demo, ids.cadre_id],
  );
  if (!rows[0]) throw new AccountError(`用户 ${u.username} 已存在 (user ${u.username} already exists)`);
  await audit(client, { userId: null, actor, action: 'create', entity: 'user', entityId: rows[0].id, after: rows[0] });
  return rows[0];
}

async function currentUser(client: pg.ClientBase, username: string) {
  const { rows } = await client.query(`SELECT ${USER_COLUMNS} FROM users WHERE username = $1 FOR UPDATE`, [username]);
  if (!rows[0]) throw new AccountError(`用户 ${username} 不存在 (no user ${username})`);
  return rows[0];
}

export async function setRole(client: pg.ClientBase, username: string, role: string, scope: ScopeCodes, actor: string) {
  const before = await currentUser(client, username);
  const ids = await resolveScope(client, role, scope);
  const { rows } = await client.query(
    `UPDATE users SET role = $2, subdistrict_id = $3, community_id = $4, grid_id = $5, department_id = $6, cadre_id = $7, updated_at = now()
      WHERE username = $1 RETURNING ${USER_COLUMNS}`,
    [username, role, ids.subdistrict_id, ids.community_id, ids.grid_id, ids.department_id, ids.cadre_id],
  );
  // A change of role or scope ends the user's sessions: they sign in again with the new rights.
  await client.query('DELETE FROM sessions WHERE user_id = $1', [before.id]);
  await audit(client, { userId: null, actor, action: 'set_role', entity: 'user', entityId: before.id, before, after: rows[0] });
  return rows[0];
}

export async function resetPassword(client: pg.ClientBase, username: string, password: string, actor: string) {
  const problem = passwordProblem(password);
  if (problem) throw new AccountError(problem);
  const before = await currentUser(client, username);
  await client.query(
    `UPDATE users SET password_hash = $2, demo_password = false, updated_at = now() WHERE username = $1`,
    [username, await hashPassword(password)],
  );
  await client.query('DELETE FROM sessions WHERE user_id = $1', [before.id]);
  // Never the password or its hash: only that it changed.
  await audit(client, { userId: null, actor, action: 'reset_password', entity: 'user', entityId: before.id });
}

export async function setActive(client: pg.ClientBase, username: string, active: boolean, actor: string) {
  const before = await currentUser(client, username);
  const { rows } = await client.query(
    `UPDATE users SET active = $2, updated_at = now() WHERE username = $1 RETURNING ${USER_COLUMNS}`, [username, active]);
  if (!active) await client.query('DELETE FROM sessions WHERE user_id = $1', [before.id]);
  await audit(client, { userId: null, actor, action: active ? 'enable' : 'disable', entity: 'user', entityId: before.id, before, after: rows[0] });
  return rows[0];
}

export async function listUsers(client: pg.ClientBase) {
  const { rows } = await client.query(
    `SELECT u.username, u.display_name, u.role, u.active, u.demo_password,
            coalesce(s.code, c.code, g.code, d.code) AS scope_code, coalesce(s.name, c.name, g.name, d.name) AS scope_name
       FROM users u
       LEFT JOIN subdistricts s ON s.id = u.subdistrict_id
       LEFT JOIN communities c ON c.id = u.community_id
       LEFT JOIN grids g ON g.id = u.grid_id
       LEFT JOIN departments d ON d.id = u.department_id
      ORDER BY u.role, u.username`);
  return rows;
}
