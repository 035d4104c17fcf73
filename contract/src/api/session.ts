// Sign-in, sign-out and "who am I".
import { z } from 'zod';
import { LOCALES } from '../locale.ts';
import { ROLES, SCOPE_LEVELS } from '../roles.ts';

export const loginBody = z.object({
  username: z.string().trim().toLowerCase().min(1, '请输入用户名 (username is required)').max(63),
  password: z.string().min(1, '请输入密码 (password is required)').max(200),
}).strict();
export type LoginBody = z.input<typeof loginBody>;

export const loginResponse = z.object({ csrfToken: z.string(), expiresAt: z.string() });
export type LoginResult = z.infer<typeof loginResponse>;

export const scopeInfo = z.object({
  level: z.enum(SCOPE_LEVELS),
  id: z.number().nullable(),
  code: z.string().nullable(),
  name: z.string(),
  /** For a grid: its community; for a community: its subdistrict. */
  parent: z.object({ id: z.number(), name: z.string() }).optional(),
});
export type ScopeInfo = z.infer<typeof scopeInfo>;

export const meResponse = z.object({
  user: z.object({ id: z.number(), username: z.string(), display_name: z.string() }),
  role: z.enum(ROLES),
  role_label: z.string(),
  /** The interface language this account chose (PUT /api/me/locale). */
  locale: z.enum(LOCALES),
  scope: scopeInfo,
  csrfToken: z.string(),
  expiresAt: z.string(),
});
export type Me = z.infer<typeof meResponse>;

export const okResponse = z.object({ ok: z.literal(true) });
