// The community map's organisation layers: the 红色尖刀班's tasks and the 五社联动 organisations
// based in the community. Loaded per community when a layer is switched on; the points are plain
// frozen objects (they go to deck.gl, never through Vue proxies).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Organisation, OrganisationKind, VanguardTask, VanguardTaskKind } from '@grid-atlas/contract';
import { fetchVanguard, fetchVanguardTeam } from '../api/vanguard';
import { fetchOrganisations } from '../api/organisations';
import type { MarkerPoint } from '../layers/markers';
import { useNoticeStore } from './notices';

/** A colour per task kind (RGBA), shared by the map and its legend. */
export const VANGUARD_KIND_COLORS: Record<VanguardTaskKind, [number, number, number, number]> = {
  party_building: [230, 40, 40, 240],
  living_environment: [60, 200, 120, 240],
  enterprise_service: [250, 170, 40, 240],
  door_to_door: [170, 100, 255, 240],
};

export function vanguardMarkers(tasks: readonly VanguardTask[]): MarkerPoint[] {
  return tasks.map((t) => Object.freeze({ id: t.id, lon: t.lon, lat: t.lat, color: VANGUARD_KIND_COLORS[t.kind], progress: t.done / t.target }));
}

/** A colour per organisation kind (RGBA), shared by the map and its legend. */
export const ORGANISATION_KIND_COLORS: Record<OrganisationKind, [number, number, number, number]> = {
  social_work: [80, 170, 255, 240],
  volunteer_team: [255, 120, 190, 240],
  self_governance: [120, 230, 230, 240],
  service_team: [255, 225, 90, 245],
};

export function organisationMarkers(orgs: readonly Organisation[]): MarkerPoint[] {
  return orgs.map((o) => Object.freeze({ id: o.id, lon: o.lon, lat: o.lat, color: ORGANISATION_KIND_COLORS[o.kind] }));
}

export const useOrgLayersStore = defineStore('orgLayers', () => {
  const notices = useNoticeStore();
  const showVanguard = ref(false);
  const vanguard = shallowRef<MarkerPoint[] | null>(null);
  let vanguardFor: number | null = null;

  async function loadVanguard(community: number): Promise<void> {
    vanguardFor = community;
    vanguard.value = null;
    try {
      const team = (await fetchVanguard(community)).teams[0];
      const tasks = team ? (await fetchVanguardTeam(team.team_id)).tasks : [];
      if (vanguardFor === community) vanguard.value = vanguardMarkers(tasks);
    } catch (err) {
      vanguardFor = null;
      notices.report('红色尖刀班任务', err, { level: 'warning' });
    }
  }

  const showOrganisations = ref(false);
  const organisations = shallowRef<MarkerPoint[] | null>(null);
  let organisationsFor: number | null = null;

  async function loadOrganisations(community: number): Promise<void> {
    organisationsFor = community;
    organisations.value = null;
    try {
      const list = await fetchOrganisations({ community, limit: 500 });
      if (organisationsFor === community) organisations.value = organisationMarkers(list.organisations);
    } catch (err) {
      organisationsFor = null;
      notices.report('五社联动组织', err, { level: 'warning' });
    }
  }

  return { showVanguard, vanguard, loadVanguard, showOrganisations, organisations, loadOrganisations };
});
