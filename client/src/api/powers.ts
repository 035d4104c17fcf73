// The 权力下放清单 (GET /api/powers): the powers delegated to the subdistricts, filtered by kind,
// case category or a search text. The same list for every signed-in role.
import type { PowerKind, PowerList } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export type { CasePower, PowerItem, PowerKind, PowerList } from '@grid-atlas/contract';

export function fetchPowers(filter: { kind?: PowerKind; category?: string; q?: string }, signal?: AbortSignal): Promise<PowerList> {
  const query: { kind?: PowerKind; category?: string; q?: string } = {};
  if (filter.kind) query.kind = filter.kind;
  if (filter.category) query.category = filter.category;
  if (filter.q) query.q = filter.q;
  return readJson(api.powers.$get({ query }, { init: { signal } }));
}
