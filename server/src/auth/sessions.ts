// Server-side sessions. The cookie holds a random token; the table holds its sha256, the
// user and a CSRF token. A session ends 12 hours after sign-in, or after 2 idle hours.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { User } from './roles.ts';

export const SESSION_COOKIE = 'ga_session';
export const ABSOLUTE_TTL_HOURS = 12;
export const IDLE_TTL_HOURS = 2;

export interface Session {
  tokenHash: string;
  csrfToken: string;
  expiresAt: Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createSession(db: Db, userId: number, meta: { ip: string; userAgent: string }) {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5, $6) RETURNING expires_at`,
    [sha256(token), userId, csrfToken, IDLE_TTL_HOURS, meta.ip, meta.userAgent.slice(0, 300)],
  );
  // Expired sessions of anyone are pruned here, so the table never grows without bound.
  await db.query(`DELETE FROM sessions WHERE expires_at < now() - interval '1 day'`);
  return { token, csrfToken, expiresAt: rows[0].expires_at };
}

/** The session and its user, or null when the token is unknown, expired or the user disabled. */
export async function lookupSession(db: Db, token: string): Promise<{ user: User; session: Session; dataVersion: number } | null> {
  // The data version rides along: cached API responses need it, and one round trip to the
  // (single-session) embedded database is cheaper than two.
  const { rows } = await db.query(
    `SELECT s.token_hash, s.csrf_token, s.expires_at, s.last_seen_at < now() - interval '1 minute' AS stale,
            (SELECT version FROM data_version) AS data_version,
            u.id, u.username, u.display_name, u.role, u.subdistrict_id, u.community_id, u.grid_id, u.department_id, u.cadre_id
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`,
    [sha256(token)],
  );
  const r = rows[0];
  if (!r) return null;
  let expiresAt: Date = r.expires_at;
  if (r.stale) {
    // Slide the idle window, never past the absolute limit; at most one write a minute.
    const touched = await db.query<{ expires_at: Date }>(
      `UPDATE sessions SET last_seen_at = now(),
              expires_at = least(created_at + make_interval(hours => $2), now() + make_interval(hours => $3))
        WHERE token_hash = $1 RETURNING expires_at`,
      [r.token_hash, ABSOLUTE_TTL_HOURS, IDLE_TTL_HOURS],
    );
    expiresAt = touched.rows[0]?.expires_at ?? expiresAt;
  }
  const { token_hash, csrf_token, expires_at, stale, data_version, ...user } = r;
  void expires_at; void stale;
  return { user: user as User, session: { tokenHash: token_hash, csrfToken: csrf_token, expiresAt }, dataVersion: data_version };
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}
