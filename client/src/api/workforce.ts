// 社区工作者队伍 (server/src/routes/workforce.ts): the reform's three figures for the caller's area
// and each community in it; the roster (roles that see personal data, and the administrator); a
// worker's edit (the community's secretary, or the administrator). Through the typed `hc` client.
import type { CommunityWorker, WorkerPatchBody, WorkforceSummary } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export type { CommunityWorker, WorkerPatchBody, WorkforceSummary } from '@grid-atlas/contract';

export function fetchWorkforce(signal?: AbortSignal): Promise<WorkforceSummary> {
  return readJson(api.workforce.$get({ query: {} }, { init: { signal } }));
}

export async function fetchWorkers(community: number, signal?: AbortSignal): Promise<CommunityWorker[]> {
  return (await readJson(api.workforce.workers.$get({ query: { community: String(community) } }, { init: { signal } }))).workers;
}

export function updateWorker(id: number, body: WorkerPatchBody): Promise<CommunityWorker> {
  return readJson(api.workforce.workers[':id'].$patch({ param: { id: String(id) }, json: body }));
}
