// 红色尖刀班 (server/src/routes/vanguard.ts): the teams of the caller's area, one team with its
// members, tasks and progress reports; a task's edit (the community's secretary) and a member's
// progress report (the secretary or the community's task force); the secretary's keeping of the
// membership (add, remove, the 班长) and a task's withdrawal. Through the typed `hc` client:
// bodies and answers are the contract's types.
import type {
  VanguardCandidates, VanguardMember, VanguardNewMemberBody, VanguardNewTaskInput, VanguardProgressInput, VanguardSummary, VanguardTask,
  VanguardTaskPatchBody, VanguardTeamDetail, VanguardWithdrawBody,
} from '@grid-atlas/contract';
import { api } from './client';
import { readJson } from './http';

export type { VanguardCandidates, VanguardMember, VanguardSummary, VanguardTask, VanguardTeamDetail } from '@grid-atlas/contract';

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

/** Who may join the team: the community's sunk cadres and 专职社工 not on it (its secretary, or the administrator). */
export function fetchVanguardCandidates(team: number, signal?: AbortSignal): Promise<VanguardCandidates> {
  return readJson(api.vanguard.teams[':id'].candidates.$get({ ...byId(team), query: {} }, { init: { signal } }));
}

export function addVanguardMember(team: number, body: VanguardNewMemberBody): Promise<VanguardMember> {
  return readJson(api.vanguard.teams[':id'].members.$post({ ...byId(team), json: body }));
}

/** The member leaves the team; their row and progress reports stay. */
export function removeVanguardMember(id: number, reason: string): Promise<{ ok: true }> {
  return readJson(api.vanguard.members[':id'].leave.$post({ ...byId(id), json: { reason } }));
}

/** The member becomes the team's 班长; the former captain stays on the team as a member. */
export function setVanguardCaptain(team: number, member: number): Promise<VanguardMember> {
  return readJson(api.vanguard.teams[':id'].captain.$post({ ...byId(team), json: { member } }));
}

/** The task is withdrawn (kept with its progress reports, off the active list and the map). */
export function withdrawVanguardTask(id: number, body: VanguardWithdrawBody): Promise<VanguardTask> {
  return readJson(api.vanguard.tasks[':id'].withdraw.$post({ ...byId(id), json: body }));
}
