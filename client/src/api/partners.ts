// A community's 大党委 and 包保 (GET /api/communities/:id/partners): its linked leaders, lead unit
// and responsible units. The server answers 404 for a community outside the caller's area.
import type { CommunityPartners } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson } from './http';

export type { CommunityPartners } from '@grid-atlas/contract';

const call = fetchWith();

export function fetchCommunityPartners(id: number, signal?: AbortSignal): Promise<CommunityPartners> {
  return readUntypedJson<CommunityPartners>(call(`/api/communities/${id}/partners`, { signal }));
}
