// Throttles password guessing: 5 failures for one account, or 20 from one address, within
// 15 minutes lock further attempts until the oldest failure ages out. Kept in the database
// so a restart does not reset it.
import type { Db } from '../db/index.ts';

export const WINDOW_MINUTES = 15;
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_ADDRESS = 20;

/** Seconds until another attempt is allowed, or 0 when one is allowed now. */
export async function retryAfterSeconds(db: Db, username: string, ip: string): Promise<number> {
  const { rows } = await db.query<{ account: number; address: number; account_wait: number; address_wait: number }>(
    `WITH recent AS (SELECT username, ip, at FROM auth_failures WHERE at > now() - make_interval(mins => $3))
     SELECT (SELECT count(*) FROM recent WHERE username = $1) AS account,
            (SELECT count(*) FROM recent WHERE ip = $2) AS address,
            ceil(extract(epoch FROM (SELECT min(at) FROM (SELECT at FROM recent WHERE username = $1 ORDER BY at DESC LIMIT $4) t)
                 + make_interval(mins => $3) - now())) AS account_wait,
            ceil(extract(epoch FROM (SELECT min(at) FROM (SELECT at FROM recent WHERE ip = $2 ORDER BY at DESC LIMIT $5) t)
                 + make_interval(mins => $3) - now())) AS address_wait`,
    [username, ip, WINDOW_MINUTES, MAX_PER_ACCOUNT, MAX_PER_ADDRESS],
  );
  const r = rows[0];
  let wait = 0;
  if (r.account >= MAX_PER_ACCOUNT) wait = Math.max(wait, r.account_wait);
  if (r.address >= MAX_PER_ADDRESS) wait = Math.max(wait, r.address_wait);
  return Math.max(0, Math.ceil(wait));
}

export async function recordFailure(db: Db, username: string, ip: string): Promise<void> {
  await db.query('INSERT INTO auth_failures (username, ip) VALUES ($1, $2)', [username, ip]);
  await db.query(`DELETE FROM auth_failures WHERE at < now() - make_interval(mins => $1)`, [WINDOW_MINUTES * 2]);
}

export async function clearFailures(db: Db, username: string): Promise<void> {
  await db.query('DELETE FROM auth_failures WHERE username = $1', [username]);
}
