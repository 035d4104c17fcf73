// The community secretary's personal-data routes (server/src/routes/community.ts). Only roles that
// work their own area get answers (403 for city roles, 404 outside their area); the server scopes
// every row, the client only chooses the community and filters.
import { apiUrl, getJson } from './http';

export type CadreKind = 'in_service' | 'sunk' | 'grid_worker' | 'task_force';
export type LinkKind = 'difficulty' | 'neighbour' | 'branch';

export interface HouseholdCadre {
  id: number;
  name: string;
  kind: CadreKind;
  link: LinkKind;
}

export interface HouseholdRecord {
  id: number;
  head_name: string;
  phone: string;
  address: string;
  building: string;
  size: number;
  in_difficulty: boolean;
  grid_id: number;
  grid_name: string;
  community_id: number;
  lon: number;
  lat: number;
  cadres: HouseholdCadre[];
}

export interface HouseholdQuery {
  community?: number;
  grid?: number;
  q?: string;
  difficulty?: boolean;
  unlinked?: boolean;
  limit?: number;
  offset?: number;
}

export interface HouseholdPage {
  total: number;
  households: HouseholdRecord[];
}

export interface RosterGrid {
  id: number;
  code: string;
  number: number;
  name: string;
  grid_workers: { id: number; name: string; phone: string }[] | null;
  households: number;
  in_difficulty: number;
  linked_cadres: number;
  in_service_members: number;
  without_in_service_link: number;
}

export interface CadreLinkLine {
  cadre_id: number;
  cadre_name: string;
  kind: 'difficulty' | 'neighbour';
  household_id: number;
  from_lon: number;
  from_lat: number;
  to_lon: number;
  to_lat: number;
}

export const CADRE_KIND_LABELS: Record<CadreKind, string> = {
  in_service: '在职党员',
  sunk: '下沉党员',
  grid_worker: '网格员',
  task_force: '工作队员',
};

export async function fetchHouseholdRecords(query: HouseholdQuery, signal?: AbortSignal): Promise<HouseholdPage> {
  const page = await getJson<HouseholdPage>(
    apiUrl('households/records', {
      community: query.community,
      grid: query.grid,
      q: query.q?.trim() || undefined,
      // Filters are "only …" switches: off means no filter, not "=false".
      difficulty: query.difficulty ? true : undefined,
      unlinked: query.unlinked ? true : undefined,
      limit: query.limit,
      offset: query.offset,
    }),
    signal,
  );
  // Postgres count(*) may arrive as a string through some drivers.
  return { total: Number(page.total), households: page.households };
}

export async function fetchRoster(community: number, signal?: AbortSignal): Promise<RosterGrid[]> {
  const { grids } = await getJson<{ grids: RosterGrid[] }>(apiUrl('roster', { community }), signal);
  return grids.map((g) => ({
    ...g,
    households: Number(g.households),
    in_difficulty: Number(g.in_difficulty),
    linked_cadres: Number(g.linked_cadres),
    in_service_members: Number(g.in_service_members),
    without_in_service_link: Number(g.without_in_service_link),
  }));
}

export async function fetchLinks(community: number, signal?: AbortSignal): Promise<CadreLinkLine[]> {
  const { links } = await getJson<{ links: CadreLinkLine[] }>(apiUrl('links', { community }), signal);
  return links;
}
