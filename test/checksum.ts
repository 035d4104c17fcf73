// A fingerprint of the database's contents, to prove that refused requests changed nothing.
// Every table of the public schema counts (so a table added later is covered without asking),
// as count + the sum of each row's md5 read as a 60-bit number: independent of row order, so
// no sort of the 95,000 households, and any changed, added or removed row changes it.
//
// Left out, because they change on requests that are refused as they should be:
// - sessions: every signed-in request slides last_seen_at;
// - auth_failures: the sign-in throttle counts refused passwords (that is its job);
// - audit_log rows about sessions (login, login_failed, lockout, logout) for the same reason.
import type { Db } from '../server/src/db/index.ts';

export const CHECKSUM_EXCLUDED = ['sessions', 'auth_failures'] as const;
const ROWS: Record<string, string> = { audit_log: `WHERE entity <> 'session'` };

export async function tableChecksums(db: Db): Promise<Record<string, string>> {
  const tables = (await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND NOT (tablename = ANY ($1::text[])) ORDER BY tablename`,
    [[...CHECKSUM_EXCLUDED]])).rows.map((r) => r.name);
  const parts = tables.map((t) =>
    `SELECT '${t}' AS name, count(*)::text || ':' || coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint), 0)::text AS sum
       FROM public.${t} t ${ROWS[t] ?? ''}`);
  const { rows } = await db.query<{ name: string; sum: string }>(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}
