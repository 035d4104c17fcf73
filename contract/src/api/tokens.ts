// Personal access tokens (个人访问令牌): a signed-in user creates one for GIS software to read the
// OGC API (/ogc) as them, sees it once, lists and revokes their own.
import { z } from 'zod';

/** Tokens one user may hold unrevoked at a time. */
export const MAX_ACTIVE_TOKENS = 10;

export const createTokenBody = z.object({
  name: z.string().trim().min(1, '名称不能为空 (name is required)').max(60, '名称最多 60 个字符 (name: at most 60 characters)'),
}).strict();
export type CreateTokenBody = z.infer<typeof createTokenBody>;

export const tokenSummary = z.object({
  id: z.number(),
  name: z.string(),
  /** The token's first characters, to tell tokens apart; the token itself is never shown again. */
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type TokenSummary = z.infer<typeof tokenSummary>;

/** The answer to creating one: the summary and, this once, the token. */
export const createdToken = tokenSummary.extend({ token: z.string() });
export type CreatedToken = z.infer<typeof createdToken>;
