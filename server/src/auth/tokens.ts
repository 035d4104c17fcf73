// Personal access tokens: a random secret shown once to the user who creates it; the table keeps
// its SHA-256. Accepted only by the OGC API's read routes (ogc/routes.ts), as the user who made
// it, while neither the token is revoked nor the user deactivated.
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/index.ts';
import type { User } from './scope.ts';

/** "gat_" and 43 base64url characters (32 random bytes). */
export const TOKEN_PATTERN = /^gat_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 10;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const TOKEN_COLUMNS = `t.id, t.name, t.prefix,
  to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(t.last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_used_at,
  to_char(t.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS revoked_at`;

/** A new token for the user: the row's id and the secret (never stored). */
export async function createToken(client: Queryable, userId: number, name: string): Promise<{ id: number; token: string }> {
  const token = `gat_${randomBytes(32).toString('base64url')}`;
  const { rows } = await client.query<{ id: number }>(
    'INSERT INTO personal_access_tokens (user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING id',
    [userId, name, sha256(token), token.slice(0, PREFIX_LENGTH)]);
  return { id: rows[0].id, token };
}

/** The user a token stands for, or null when it is unknown, revoked, or its user deactivated. */
export async function lookupToken(db: Db, token: string): Promise<User | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const { rows } = await db.query<User & { token_id: number; stale: boolean }>(
    `SELECT t.id AS token_id, t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' AS stale,
            u.id, u.username, u.display_name, u.role, u.subdistrict_id, u.community_id, u.grid_id, u.department_id, u.cadre_id
       FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active`, [sha256(token)]);
  const row = rows[0];
  if (!row) return null;
  // At most one write a minute per token.
  if (row.stale) await db.query('UPDATE personal_access_tokens SET last_used_at = now() WHERE id = $1', [row.token_id]);
  const { token_id: _id, stale: _stale, ...user } = row;
  return user;
}
