// 红色尖刀班 (server/src/routes/vanguard.ts): the teams of the caller's area, one team with its
// members, tasks and progress reports; a task's edit (the community's secretary) and a member's
// progress report (the secretary or the community's task force). Through the typed `hc` client:
// bodies and answers are the contract's types.
import type { VanguardNewTaskInput, VanguardProgressInput, VanguardSummary, VanguardTask, VanguardTaskPatchBody, VanguardTeamDetail } from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export type { VanguardMember, VanguardSummary, VanguardTask, VanguardTeamDetail } from '@grid-atlas/contract';

const byId = (id: number) => ({ param: { id: String(id) } });

export function fetchVanguard(community?: number, signal?: AbortSignal): Promise<VanguardSummary> {
  return readJson(api.vanguard.$get({ query: community ? { community: String(community) } : {} }, { init: { signal } }));
}

export function fetchVanguardTeam(id: number, signal?: AbortSignal): Promise<VanguardTeamDetail> {
  return readJson(api.vanguard.teams[':id'].$get({ ...byId(id), query: {} }, { init: { signal } }));
}

export function updateVanguardTask(id: number, body: VanguardTaskPatchBody): Promise<VanguardTask> {
  return readJson(api.vanguard.tasks[':id'].$patch({ ...byId(id), json: body }));
}

export function reportVanguardProgress(id: number, body: VanguardProgressInput): Promise<VanguardTask> {
  return readJson(api.vanguard.tasks[':id'].progress.$post({ ...byId(id), json: body }));
}

export function createVanguardTask(team: number, body: VanguardNewTaskInput): Promise<VanguardTask> {
  return readJson(api.vanguard.teams[':id'].tasks.$post({ ...byId(team), json: body }));
}
