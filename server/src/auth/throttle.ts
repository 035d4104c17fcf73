// Throttles password guessing: 5 failures for one account, or 20 from one address, within
// 15 minutes lock further attempts until the oldest failure ages out. Kept in the database
// so a restart does not reset it.
//
// An attempt is recorded BEFORE its password is checked, under advisory locks on the
// account and the address, so parallel requests cannot all read "4 failures so far" and
// all go on to the ~70 ms scrypt check: at most MAX_PER_ACCOUNT are ever verified per
// window. A successful sign-in deletes its own row (and the account's failures).
import type { Db } from '../db/index.ts';

export const WINDOW_MINUTES = 15;
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_ADDRESS = 20;

// Two-key advisory locks: class 7301 for accounts, 7302 for addresses (keys are hashtext).
const LOCK_SQL = `SELECT pg_advisory_xact_lock(7301, hashtext($1)), pg_advisory_xact_lock(7302, hashtext($2))`;

const WAIT_SQL = `
  WITH recent AS (SELECT username, ip, at FROM auth_failures WHERE at > now() - make_interval(mins => $3))
  SELECT (SELECT count(*) FROM recent WHERE username = $1) AS account,
         (SELECT count(*) FROM recent WHERE ip = $2) AS address,
         ceil(extract(epoch FROM (SELECT min(at) FROM (SELECT at FROM recent WHERE username = $1 ORDER BY at DESC LIMIT $4) t)
              + make_interval(mins => $3) - now())) AS account_wait,
         ceil(extract(epoch FROM (SELECT min(at) FROM (SELECT at FROM recent WHERE ip = $2 ORDER BY at DESC LIMIT $5) t)
              + make_interval(mins => $3) - now())) AS address_wait`;

export type Reservation =
  | { allowed: true; attemptId: number; /** what this attempt locks if it fails */ locks: 'account' | 'address' | null }
  | { allowed: false; retryAfter: number };

/**
 * Records a sign-in attempt as a failure in advance, or says how long to wait when the
 * account or the address is locked. The lock order (account, then address) is the same
 * for every caller, so two attempts never wait on each other in a cycle.
 */
export async function reserveAttempt(db: Db, username: string, ip: string): Promise<Reservation> {
  return db.withTransaction(async (client) => {
    await client.query(LOCK_SQL, [username, ip]);
    const { rows } = await client.query<{ account: number; address: number; account_wait: number; address_wait: number }>(
      WAIT_SQL, [username, ip, WINDOW_MINUTES, MAX_PER_ACCOUNT, MAX_PER_ADDRESS]);
    const r = rows[0];
    let wait = 0;
    if (r.account >= MAX_PER_ACCOUNT) wait = Math.max(wait, r.account_wait);
    if (r.address >= MAX_PER_ADDRESS) wait = Math.max(wait, r.address_wait);
    if (r.account >= MAX_PER_ACCOUNT || r.address >= MAX_PER_ADDRESS) {
      return { allowed: false as const, retryAfter: Math.max(1, Math.ceil(wait)) };
    }
    const inserted = await client.query<{ id: number }>(
      'INSERT INTO auth_failures (username, ip) VALUES ($1, $2) RETURNING id', [username, ip]);
    return {
      allowed: true as const,
      attemptId: inserted.rows[0].id,
      locks: r.account + 1 >= MAX_PER_ACCOUNT ? 'account' as const : r.address + 1 >= MAX_PER_ADDRESS ? 'address' as const : null,
    };
  });
}

/** The reserved attempt turned out right: forget it and the account's earlier failures. */
export async function attemptSucceeded(db: Db, username: string, attemptId: number): Promise<void> {
  await db.query('DELETE FROM auth_failures WHERE id = $1 OR username = $2', [attemptId, username]);
}

/** The reserved attempt failed: its row stays as the failure; prune rows long out of the window. */
export async function attemptFailed(db: Db): Promise<void> {
  await db.query(`DELETE FROM auth_failures WHERE at < now() - make_interval(mins => $1)`, [WINDOW_MINUTES * 2]);
}
