// The sign-in throttle under concurrency: attempts are counted before the password is
// checked, so parallel guesses cannot slip past the limit while scrypt runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { MAX_PER_ACCOUNT } from './throttle.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
});
afterAll(async () => {
  await db.query(`DELETE FROM auth_failures WHERE username IN ('dept-10', 'dept-11')`);
  await db?.close();
});

// A fresh address per attempt, so only the per-account limit applies.
const login = async (username: string, password: string, i: number): Promise<Response> =>
  app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.77.${Math.floor(i / 250)}.${i % 250}` },
    body: JSON.stringify({ username, password }),
  });

// Only this run's rows: a database the suite ran on before keeps that run's audit log.
let since: Date;
beforeAll(async () => {
  since = (await db.query<{ now: Date }>('SELECT now() AS now')).rows[0].now;
});
const auditCount = async (username: string, action: string) =>
  (await db.query(`SELECT count(*) AS n FROM audit_log WHERE actor = $1 AND action = $2 AND at >= $3`, [username, action, since])).rows[0].n as number;

describe('sign-in throttle under concurrency', () => {
  it(`verifies at most ${MAX_PER_ACCOUNT} of 50 parallel wrong passwords, and audits each failure and the lockout`, async () => {
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => login('dept-10', `wrong-password-${i}`, i).then((r) => r.status)));
    const verified = statuses.filter((s) => s === 401).length; // only a verified password gets 401
    expect(verified).toBeLessThanOrEqual(MAX_PER_ACCOUNT);
    expect(verified).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429).length).toBe(50 - verified);
    expect(await auditCount('dept-10', 'login_failed')).toBe(verified);
    expect(await auditCount('dept-10', 'lockout')).toBe(1);
    const lockout = (await db.query(`SELECT entity, after FROM audit_log WHERE actor = 'dept-10' AND action = 'lockout' AND at >= $1`, [since])).rows[0];
    expect(lockout).toMatchObject({ entity: 'session', after: { locked: 'account' } });
  });

  it('does not let the right password through among 29 parallel wrong ones', async () => {
    const attempts = Array.from({ length: 29 }, (_, i) => login('dept-11', `wrong-password-${i}`, 100 + i));
    attempts.push(login('dept-11', 'enshi-demo', 199));
    const statuses = await Promise.all(attempts.map((p) => p.then((r) => r.status)));
    expect(statuses[29]).toBe(429);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_PER_ACCOUNT);
    expect((await db.query(`SELECT count(*) AS n FROM audit_log WHERE actor = 'dept-11' AND action = 'login' AND at >= $1`, [since])).rows[0].n).toBe(0);
  });

  it('a successful sign-in removes its own attempt and the account\'s failures', async () => {
    await db.query(`DELETE FROM auth_failures WHERE username = 'dept-12'`);
    expect((await login('dept-12', 'wrong-password', 300)).status).toBe(401);
    expect((await login('dept-12', 'enshi-demo', 301)).status).toBe(200);
    expect((await db.query(`SELECT count(*) AS n FROM auth_failures WHERE username = 'dept-12'`)).rows[0].n).toBe(0);
  });
});
