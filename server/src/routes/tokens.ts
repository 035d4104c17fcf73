// Personal access tokens (个人访问令牌), each user's own:
//   GET  /tokens             the caller's tokens (never the secrets), unrevoked first
//   POST /tokens             a new one { name }: the answer shows the token, this once
//   POST /tokens/:id/revoke  revokes one of the caller's (another user's is a 404, as if missing)
// Every signed-in role may hold tokens; a token reads the OGC API (/ogc) with its user's scope
// and nothing else (ogc/routes.ts), so it can do no more than the user's own session.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createTokenBody, MAX_ACTIVE_TOKENS, noParams, type CreatedToken, type TokenSummary } from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import { createToken, TOKEN_COLUMNS } from '../auth/tokens.ts';
import { clientIp } from '../http/client-ip.ts';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { pathId, validJson, validQuery } from '../http/validate.ts';

export function tokenRoutes(db: Db, options: { trustProxy: boolean }) {
  return new Hono<AppEnv>()
    .get('/tokens', validQuery(noParams), async (c) => {
      const { rows } = await db.query<TokenSummary>(
        `SELECT ${TOKEN_COLUMNS} FROM personal_access_tokens t WHERE t.user_id = $1
          ORDER BY t.revoked_at IS NOT NULL, t.id DESC LIMIT 200`, [c.get('user').id]);
      return c.json({ tokens: rows });
    })
    .post('/tokens', validJson(createTokenBody), async (c) => {
      const u = c.get('user');
      const { name } = c.req.valid('json');
      const created = await db.withTransaction(async (client) => {
        // One user's rows, locked so two requests at once cannot both pass the count.
        await client.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [u.id]);
        const { rows } = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM personal_access_tokens WHERE user_id = $1 AND revoked_at IS NULL', [u.id]);
        if (rows[0].n >= MAX_ACTIVE_TOKENS) {
          throw new HTTPException(409, { message: `最多同时持有 ${MAX_ACTIVE_TOKENS} 个令牌，请先撤销不用的 (at most ${MAX_ACTIVE_TOKENS} active tokens; revoke one first)` });
        }
        const { id, token } = await createToken(client, u.id, name);
        await audit(client, { userId: u.id, actor: u.username, action: 'create', entity: 'access_token', entityId: id, after: { name }, ip: clientIp(c, options.trustProxy) });
        const summary = (await client.query<TokenSummary>(`SELECT ${TOKEN_COLUMNS} FROM personal_access_tokens t WHERE t.id = $1`, [id])).rows[0];
        return { ...summary, token } satisfies CreatedToken;
      });
      return c.json(created, 201);
    })
    .post('/tokens/:id/revoke', async (c) => {
      const u = c.get('user');
      const id = pathId(c.req.param('id'));
      const row = await db.withTransaction(async (client) => {
        const { rows } = await client.query<{ revoked: boolean }>(
          'SELECT revoked_at IS NOT NULL AS revoked FROM personal_access_tokens WHERE id = $1 AND user_id = $2 FOR UPDATE', [id, u.id]);
        if (!rows[0]) throw notFound(`令牌 ${id} 不存在 (no token with id ${id})`);
        // Revoking a revoked token changes nothing and says so by its unchanged revoked_at.
        if (!rows[0].revoked) {
          await client.query('UPDATE personal_access_tokens SET revoked_at = now() WHERE id = $1', [id]);
          await audit(client, { userId: u.id, actor: u.username, action: 'revoke', entity: 'access_token', entityId: id, ip: clientIp(c, options.trustProxy) });
        }
        return (await client.query<TokenSummary>(`SELECT ${TOKEN_COLUMNS} FROM personal_access_tokens t WHERE t.id = $1`, [id])).rows[0];
      });
      return c.json(row);
    });
}
