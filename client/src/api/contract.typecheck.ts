// Typecheck-only: proves that the typed client (`hc<ApiType>`) infers the server's real
// response and query types. Nothing here runs; `pnpm typecheck` compiles it. Every
// expect-error directive below must find an error: were a route's type to decay to `any` or
// `{}`, the directive would be unused and the typecheck would fail.
import { api } from './client';

export async function typedResponses() {
  const grids = await (await api.grids.$get({ query: {} })).json();
  const n: number = grids.features[0].properties.households;
  // @ts-expect-error a misspelt property of a grid
  void grids.features[0].properties.housholds;

  const me = await (await api.me.$get()).json();
  const label: string = me.role_label;
  // @ts-expect-error the role is one of the contract's roles, not any string
  const role: 'mayor' = me.role;

  const page = await (await api.households.records.$get({ query: { community: '1' } })).json();
  const phone: string = page.households[0].phone;
  // @ts-expect-error the register has no such field
  void page.households[0].password_hash;

  const health = await (await api.health.$get()).json();
  // @ts-expect-error counts are numbers
  const households: string = health.counts.households;

  // @ts-expect-error difficulty takes 'true' | 'false', not any string
  await api.households.records.$get({ query: { difficulty: 'yes' } });

  const audit = await (await api.audit.$get({ query: { limit: '10' } })).json();
  const actor: string = audit.entries[0].actor;
  return { n, label, role, phone, households, actor };
}
