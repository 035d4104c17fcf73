// The default (no reverse proxy configured) must not believe X-Forwarded-For: otherwise a
// password guesser could send a fresh made-up address with every guess and never be throttled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import { MAX_PER_ADDRESS } from '../auth/throttle.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
// app.request() has no socket, so the connection's own address reads as 'unknown' (client-ip.ts).
const SOCKET_ADDRESS = 'unknown';

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db }); // trustProxy left at its default
  await db.query('DELETE FROM auth_failures WHERE ip = $1', [SOCKET_ADDRESS]);
});
afterAll(async () => {
  await db.query('DELETE FROM auth_failures WHERE ip = $1 OR username LIKE $2', [SOCKET_ADDRESS, 'xff-guess-%']);
  await db?.close();
});

const login = (username: string, password: string, forwardedFor: string) =>
  app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ username, password }),
  });

describe('createApp({ db }) without trustProxy', () => {
  it('ignores X-Forwarded-For: fresh forged addresses per guess still hit the per-address limit', async () => {
    for (let i = 0; i < MAX_PER_ADDRESS; i++) {
      expect((await login(`xff-guess-${i}`, 'wrong-password', `203.0.113.${i}`)).status).toBe(401);
    }
    const { rows } = await db.query('SELECT DISTINCT ip FROM auth_failures WHERE username LIKE $1', ['xff-guess-%']);
    expect(rows.map((r) => r.ip)).toEqual([SOCKET_ADDRESS]);
    // Yet another forged address, and the right password for a real account: still locked out.
    const res = await login('dept-21', 'enshi-demo', '198.51.100.7');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
