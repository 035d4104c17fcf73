// A community's 大党委 and 包保 (GET /api/communities/:id/partners): its linked leaders, lead unit
// and responsible units. The server answers 404 for a community outside the caller's area.
import type { CommunityPartners } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export type { CommunityPartners } from '@grid-atlas/contract';

export function fetchCommunityPartners(id: number, signal?: AbortSignal): Promise<CommunityPartners> {
  return readJson(api.communities[':id'].partners.$get({ param: { id: String(id) } }, { init: { signal } }));
}
