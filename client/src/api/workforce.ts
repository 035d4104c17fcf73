// 社区工作者队伍 (server/src/routes/workforce.ts): the reform's three figures for the caller's area
// and each community in it; the roster (roles that see personal data, and the administrator); a
// worker's edit (the community's secretary, or the administrator).
import type { CommunityWorker, WorkerPatchBody, WorkforceSummary } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson } from './http';

export type { CommunityWorker, WorkerPatchBody, WorkforceSummary } from '@grid-atlas/contract';

const call = fetchWith();

export function fetchWorkforce(signal?: AbortSignal): Promise<WorkforceSummary> {
  return readUntypedJson<WorkforceSummary>(call('/api/workforce', { signal }));
}

export async function fetchWorkers(community: number, signal?: AbortSignal): Promise<CommunityWorker[]> {
  return (await readUntypedJson<{ workers: CommunityWorker[] }>(call(`/api/workforce/workers?community=${community}`, { signal }))).workers;
}

export function updateWorker(id: number, body: WorkerPatchBody): Promise<CommunityWorker> {
  return readUntypedJson<CommunityWorker>(call(`/api/workforce/workers/${id}`, { method: 'PATCH', body: JSON.stringify(body) }));
}
