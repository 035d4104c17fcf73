import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { verifyPassword } from '../auth/password.ts';
import type { Db } from '../db/index.ts';
import { AccountError, createUser, resetPassword, setActive, setRole } from './accounts.ts';
import { demoPasswordsActive } from './demo.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

async function rolledBack(fn: (c: pg.PoolClient) => Promise<void>) {
  await db.withClient(async (c) => {
    await c.query('BEGIN');
    try {
      await fn(c);
    } finally {
      await c.query('ROLLBACK');
    }
  });
}

describe('user accounts', () => {
  it('creates a secretary with a hashed password and audits it', async () => {
    await rolledBack(async (c) => {
      const u = await createUser(c, { username: 'zhang.san', displayName: '张三', role: 'community_secretary', scope: { community: '422801002001' }, password: 'a-long-password-1' }, 'cli:test');
      const row = (await c.query('SELECT password_hash, demo_password FROM users WHERE id = $1', [u.id])).rows[0];
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(row.demo_password).toBe(false);
      expect(await verifyPassword('a-long-password-1', row.password_hash)).toBe(true);
      expect(await verifyPassword('a-long-password-2', row.password_hash)).toBe(false);
      const a = (await c.query(`SELECT * FROM audit_log WHERE entity = 'user' AND entity_id = $1`, [String(u.id)])).rows[0];
      expect(a).toMatchObject({ actor: 'cli:test', action: 'create', before: null });
      expect(a.after).toMatchObject({ username: 'zhang.san', role: 'community_secretary' });
      expect(JSON.stringify(a.after)).not.toContain('scrypt');
    });
  });

  it('explains a role without its scope, a scope that does not exist, and a weak password', async () => {
    await rolledBack(async (c) => {
      const base = { username: 'li.si', displayName: '李四', password: 'a-long-password-1' };
      await expect(createUser(c, { ...base, role: 'community_secretary', scope: {} }, 't')).rejects.toThrow(/needs a community/);
      await expect(createUser(c, { ...base, role: 'grid_worker', scope: { grid: '999999999999999' } }, 't')).rejects.toThrow(/no grid with code/);
      await expect(createUser(c, { ...base, role: 'planner', scope: { community: '422801002001' } }, 't')).rejects.toThrow(AccountError);
      await expect(createUser(c, { ...base, role: 'mayor', scope: {} }, 't')).rejects.toThrow(/unknown role/);
      await expect(createUser(c, { ...base, role: 'planner', scope: {}, password: 'short' }, 't')).rejects.toThrow(/10 characters/);
    });
  });

  it('changes a role with before/after in the audit log and ends the user’s sessions', async () => {
    await rolledBack(async (c) => {
      const uid = (await c.query(`SELECT id FROM users WHERE username = 'planner'`)).rows[0].id;
      await c.query(`INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ('t1', $1, 'x', now() + interval '1 hour')`, [uid]);
      await setRole(c, 'planner', 'subdistrict_admin', { subdistrict: '422801003' }, 'cli:test');
      expect((await c.query('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [uid])).rows[0].n).toBe(0);
      const a = (await c.query(`SELECT before, after FROM audit_log WHERE action = 'set_role' ORDER BY id DESC LIMIT 1`)).rows[0];
      expect(a.before.role).toBe('planner');
      expect(a.after.role).toBe('subdistrict_admin');
    });
  });

  it('clears the demo flag on a password reset, and disables accounts', async () => {
    expect(await demoPasswordsActive(db)).toContain('leader');
    await rolledBack(async (c) => {
      await resetPassword(c, 'leader', 'a-new-long-password', 'cli:test');
      const r = (await c.query(`SELECT demo_password FROM users WHERE username = 'leader'`)).rows[0];
      expect(r.demo_password).toBe(false);
      await expect(resetPassword(c, 'leader', 'enshi-demo', 'cli:test')).rejects.toThrow(/demo password|10 characters/);
      const off = await setActive(c, 'planner', false, 'cli:test');
      expect(off.active).toBe(false);
    });
  });
});
