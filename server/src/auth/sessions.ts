// Server-side sessions. The cookie holds a random token; the table holds its sha256, the
// user and a CSRF token. A session ends 12 hours after sign-in, or after 2 idle hours.
import { createHash, randomBytes } from 'node:crypto';
import { prepared, type Db } from '../db/index.ts';
import type { User } from './scope.ts';

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

type Found = { user: User; session: Session; dataVersion: number };

/**
 * The session and its user, or null when the token is unknown, expired or the user disabled.
 *
 * Every request checks its session in the database, so a sign-out, a disabled account or a
 * new role (also from the users CLI in another process) counts from the next request on.
 * Lookups that arrive while one is running are answered together by the next single query
 * (`token_hash = ANY(…)`): on the embedded database, where every query waits its turn in one
 * session, 200 users arriving at once cost two or three round trips instead of 200.
 */
export function lookupSession(db: Db, token: string): Promise<Found | null> {
  return batcherFor(db).lookup(sha256(token));
}

const LOOKUP_SQL = `
  SELECT s.token_hash, s.csrf_token, s.expires_at, s.last_seen_at < now() - interval '1 minute' AS stale,
         (SELECT version FROM data_version) AS data_version,
         u.id, u.username, u.display_name, u.role, u.subdistrict_id, u.community_id, u.grid_id, u.department_id, u.cadre_id
    FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.token_hash = ANY($1::text[]) AND s.expires_at > now() AND u.active
     -- The absolute limit holds even before the idle window has been slid back to it.
     AND s.created_at > now() - make_interval(hours => $2)`;

// Slide the idle window, never past the absolute limit; at most one write a minute per session.
const TOUCH_SQL = `
  UPDATE sessions SET last_seen_at = now(),
         expires_at = least(created_at + make_interval(hours => $2), now() + make_interval(hours => $3))
   WHERE token_hash = ANY($1::text[]) RETURNING token_hash, expires_at`;

type LookupRow = User & { token_hash: string; csrf_token: string; expires_at: Date; stale: boolean; data_version: number };

class LookupBatcher {
  private waiting = new Map<string, ((found: Found | null) => void)[]>();
  private failures = new Map<string, ((err: unknown) => void)[]>();
  private running = false;
  constructor(private readonly db: Db) {}

  lookup(tokenHash: string): Promise<Found | null> {
    return new Promise((resolve, reject) => {
      (this.waiting.get(tokenHash) ?? this.waiting.set(tokenHash, []).get(tokenHash)!).push(resolve);
      (this.failures.get(tokenHash) ?? this.failures.set(tokenHash, []).get(tokenHash)!).push(reject);
      if (!this.running) void this.run();
    });
  }

  private async run() {
    this.running = true;
    while (this.waiting.size) {
      const waiting = this.waiting, failures = this.failures;
      this.waiting = new Map();
      this.failures = new Map();
      try {
        const found = await this.query([...waiting.keys()]);
        for (const [hash, resolvers] of waiting) for (const resolve of resolvers) resolve(found.get(hash) ?? null);
      } catch (err) {
        for (const rejecters of failures.values()) for (const reject of rejecters) reject(err);
      }
    }
    this.running = false;
  }

  private async query(hashes: string[]): Promise<Map<string, Found>> {
    // Every request signed in runs it: a named statement on PostgreSQL (db/index.ts prepared).
    const { rows } = await this.db.query<LookupRow>(prepared('session-lookup', LOOKUP_SQL), [hashes, ABSOLUTE_TTL_HOURS]);
    const stale = rows.filter((r) => r.stale).map((r) => r.token_hash);
    const touched = new Map<string, Date>();
    if (stale.length) {
      const t = await this.db.query<{ token_hash: string; expires_at: Date }>(TOUCH_SQL, [stale, ABSOLUTE_TTL_HOURS, IDLE_TTL_HOURS]);
      for (const r of t.rows) touched.set(r.token_hash, r.expires_at);
    }
    const out = new Map<string, Found>();
    for (const r of rows) {
      const { token_hash, csrf_token, expires_at, stale: _stale, data_version, ...user } = r;
      out.set(token_hash, {
        user: user as User,
        session: { tokenHash: token_hash, csrfToken: csrf_token, expiresAt: touched.get(token_hash) ?? expires_at },
        dataVersion: data_version,
      });
    }
    return out;
  }
}

const batchers = new WeakMap<Db, LookupBatcher>();
function batcherFor(db: Db): LookupBatcher {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new LookupBatcher(db)));
  return b;
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}
