// The 权力下放清单 (GET /api/powers): the powers delegated to the subdistricts, filtered by kind,
// case category or a search text. The same list for every signed-in role.
import type { PowerKind, PowerList } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson } from './http';

export type { CasePower, PowerItem, PowerKind, PowerList } from '@grid-atlas/contract';

const call = fetchWith();

export function fetchPowers(filter: { kind?: PowerKind; category?: string; q?: string }, signal?: AbortSignal): Promise<PowerList> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  const qs = params.toString();
  return readUntypedJson<PowerList>(call(`/api/powers${qs ? `?${qs}` : ''}`, { signal }));
}
