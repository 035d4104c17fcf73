// Demo accounts for the synthetic Enshi dataset, all with the published password
// "enshi-demo" (listed in README.md). Created on the embedded database automatically and on
// a real server only when asked for (GRID_ATLAS_DEMO_ACCOUNTS=1); a production server
// refuses to start while any of them still has that password.
import type pg from 'pg';
import { hashPassword } from '../auth/password.ts';
import type { Db } from '../db/index.ts';
import { createUser, DEMO_PASSWORD, type NewUser } from './accounts.ts';

/** How many grid-worker demo accounts: the first grid of each subdistrict's first community. */
export async function demoAccounts(client: pg.ClientBase): Promise<NewUser[]> {
  const q = async (sql: string) => (await client.query(sql)).rows;
  const accounts: NewUser[] = [
    { username: 'admin', displayName: '系统管理员（演示）', role: 'admin', scope: {}, password: DEMO_PASSWORD },
    { username: 'leader', displayName: '市领导（演示）', role: 'city_leader', scope: {}, password: DEMO_PASSWORD },
    { username: 'planner', displayName: '网格规划员（演示）', role: 'planner', scope: {}, password: DEMO_PASSWORD },
  ];
  for (const s of await q('SELECT code, name FROM subdistricts ORDER BY code')) {
    accounts.push({ username: `subdistrict-${s.code}`, displayName: `${s.name}管理员（演示）`, role: 'subdistrict_admin', scope: { subdistrict: s.code }, password: DEMO_PASSWORD });
  }
  for (const c of await q('SELECT code, name FROM communities ORDER BY code')) {
    accounts.push({ username: `secretary-${c.code}`, displayName: `${c.name}书记（演示）`, role: 'community_secretary', scope: { community: c.code }, password: DEMO_PASSWORD });
  }
  const grids = await q(`SELECT DISTINCT ON (c.subdistrict_id) g.code, g.name
                           FROM grids g JOIN communities c ON c.id = g.community_id
                          ORDER BY c.subdistrict_id, c.code, g.number`);
  for (const g of grids) {
    accounts.push({ username: `grid-${g.code}`, displayName: `${g.name}网格员（演示）`, role: 'grid_worker', scope: { grid: g.code }, password: DEMO_PASSWORD });
  }
  for (const [i, d] of (await q('SELECT code, name FROM departments ORDER BY code')).entries()) {
    accounts.push({ username: `dept-${i + 1}`, displayName: `${d.name}工作人员（演示）`, role: 'department_staff', scope: { department: d.code }, password: DEMO_PASSWORD });
  }
  // Live cases: a city-wide task force, one for 官坡社区, and an in-service party member in each
  // grid that has a grid-worker demo account (the first in-service cadre living there).
  accounts.push({ username: 'taskforce', displayName: '市级专班成员（演示）', role: 'task_force', scope: {}, password: DEMO_PASSWORD });
  const guanpo = await q(`SELECT code, name FROM communities WHERE code = '422801001001'`);
  for (const c of guanpo) {
    accounts.push({ username: `taskforce-${c.code}`, displayName: `${c.name}专班成员（演示）`, role: 'task_force', scope: { community: c.code }, password: DEMO_PASSWORD });
  }
  for (const g of grids) {
    const member = (await client.query(`SELECT c.id FROM cadres c JOIN grids g ON g.id = c.grid_id
                                         WHERE g.code = $1 AND c.kind = 'in_service' ORDER BY c.id LIMIT 1`, [g.code])).rows[0];
    if (!member) continue;
    accounts.push({ username: `member-${g.code}`, displayName: `${g.name}在职党员（演示）`, role: 'party_member', scope: { grid: g.code, cadre: String(member.id) }, password: DEMO_PASSWORD });
  }
  return accounts;
}

/** Creates the demo accounts when there are no users at all; returns how many it created. */
export async function ensureDemoAccounts(db: Db): Promise<number> {
  return db.withTransaction(async (client) => {
    await client.query('LOCK TABLE users IN EXCLUSIVE MODE');
    const { rows } = await client.query('SELECT count(*) AS n FROM users');
    if (rows[0].n > 0) return 0;
    // One hash for all: the password is public anyway, and 130 scrypt runs would add ~15 s.
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const accounts = await demoAccounts(client);
    for (const a of accounts) await createUser(client, a, 'system:demo-accounts', { passwordHash });
    return accounts.length;
  });
}

export async function demoPasswordsActive(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ username: string }>(`SELECT username FROM users WHERE demo_password AND active ORDER BY username`);
  return rows.map((r) => r.username);
}
