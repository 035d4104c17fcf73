// 红色尖刀班 (server/src/routes/vanguard.ts): the teams of the caller's area, one team with its
// members, tasks and progress reports; a task's edit (the community's secretary) and a member's
// progress report (the secretary or the community's task force).
import type { VanguardNewTaskInput, VanguardProgressInput, VanguardSummary, VanguardTask, VanguardTaskPatchBody, VanguardTeamDetail } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson } from './http';

export type { VanguardMember, VanguardSummary, VanguardTask, VanguardTeamDetail } from '@grid-atlas/contract';

const call = fetchWith();

export function fetchVanguard(community?: number, signal?: AbortSignal): Promise<VanguardSummary> {
  return readUntypedJson<VanguardSummary>(call(`/api/vanguard${community ? `?community=${community}` : ''}`, { signal }));
}

export function fetchVanguardTeam(id: number, signal?: AbortSignal): Promise<VanguardTeamDetail> {
  return readUntypedJson<VanguardTeamDetail>(call(`/api/vanguard/teams/${id}`, { signal }));
}

export function updateVanguardTask(id: number, body: VanguardTaskPatchBody): Promise<VanguardTask> {
  return readUntypedJson<VanguardTask>(call(`/api/vanguard/tasks/${id}`, { method: 'PATCH', body: JSON.stringify(body) }));
}

export function reportVanguardProgress(id: number, body: VanguardProgressInput): Promise<VanguardTask> {
  return readUntypedJson<VanguardTask>(call(`/api/vanguard/tasks/${id}/progress`, { method: 'POST', body: JSON.stringify(body) }));
}

export function createVanguardTask(team: number, body: VanguardNewTaskInput): Promise<VanguardTask> {
  return readUntypedJson<VanguardTask>(call(`/api/vanguard/teams/${team}/tasks`, { method: 'POST', body: JSON.stringify(body) }));
}
