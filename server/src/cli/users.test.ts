import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/auth.ts';
import { openTestDb, testDbEnv } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import { PROJECT_ROOT } from '../config.ts';
import type { Db } from '../db/index.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.query(`DELETE FROM users WHERE username = 'cli.test.user'`);
  await db?.close();
});

function users(args: string[], stdin?: string) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const child = execFile(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'server/src/cli/users.ts', '--', ...args], {
      cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: '', GRID_ATLAS_EMBEDDED_URL: '', ...testDbEnv() },
    }, (err, stdout, stderr) => resolve({ code: err ? (err as any).code : 0, out: stdout + stderr }));
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

describe('pnpm users', () => {
  it('creates a secretary who can then sign in, and disables them', async () => {
    const created = await users(['create', 'cli.test.user', '--name', '测试书记', '--role', 'community_secretary',
      '--community', '422801003001', '--password-stdin'], 'a-strong-password-42\n');
    expect(created.out).toContain('created cli.test.user (community_secretary)');
    expect(created.code).toBe(0);
    const app = createApp({ db, trustProxy: true });
    const s = await signIn(app, 'cli.test.user', 'a-strong-password-42', '10.9.0.1');
    const me = (await (await app.request('/api/me', { headers: s.headers })).json()) as any;
    expect(me.scope).toMatchObject({ level: 'community', name: '大桥路社区' });

    expect((await users(['disable', 'cli.test.user'])).code).toBe(0);
    expect((await app.request('/api/me', { headers: s.headers })).status).toBe(401);
    const audit = (await db.query(`SELECT action, actor FROM audit_log WHERE entity = 'user'
      AND entity_id = (SELECT id::text FROM users WHERE username = 'cli.test.user') ORDER BY id`)).rows;
    expect(audit.map((a) => a.action)).toEqual(['create', 'disable']);
    expect(audit[0].actor).toMatch(/^cli:/);
  });

  it('explains what is wrong and exits 2', async () => {
    const r = await users(['create', 'someone', '--role', 'community_secretary', '--community', '999']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('no community with code 999');
  });
});
