// The community map's organisation layers: the 红色尖刀班's tasks and the 五社联动 organisations
// based in the community. Loaded per community when a layer is switched on; the points are plain
// frozen objects (they go to deck.gl, never through Vue proxies).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { t } from '../i18n';
import type { BusinessKind, BusinessLinkLine, BusinessPoint, Organisation, OrganisationKind, VanguardTask, VanguardTaskKind } from '@grid-atlas/contract';
import { fetchBusinessLinks } from '../api/community';
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

/** A colour per business kind (RGBA), shared by the map and its legend. */
export const BUSINESS_KIND_COLORS: Record<BusinessKind, [number, number, number, number]> = {
  individual: [120, 220, 140, 235],
  enterprise: [40, 150, 90, 245],
};

export function businessMarkers(list: readonly BusinessPoint[]): MarkerPoint[] {
  return list.map((b) => Object.freeze({ id: b.id, lon: b.lon, lat: b.lat, color: BUSINESS_KIND_COLORS[b.kind] }));
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
      notices.report(t('map.notice.vanguardTasks'), err, { level: 'warning' });
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
      notices.report(t('map.notice.organisations'), err, { level: 'warning' });
    }
  }

  // 双定三联's third link: the community's businesses (经营主体, synthetic) and the members' lines to them
  const showBusinesses = ref(false);
  const businesses = shallowRef<MarkerPoint[] | null>(null);
  const businessLinks = shallowRef<BusinessLinkLine[] | null>(null);
  const businessFigures = shallowRef<{ businesses: number; links: number; members: number; synthetic: boolean } | null>(null);
  let businessesFor: number | null = null;

  async function loadBusinesses(community: number): Promise<void> {
    businessesFor = community;
    businesses.value = null;
    businessLinks.value = null;
    businessFigures.value = null;
    try {
      const body = await fetchBusinessLinks(community);
      if (businessesFor !== community) return;
      businesses.value = businessMarkers(body.businesses);
      businessLinks.value = body.links.map((l) => Object.freeze({ ...l }));
      businessFigures.value = {
        businesses: body.businesses.length,
        links: body.links.length,
        members: new Set(body.links.map((l) => l.cadre_id)).size,
        synthetic: body.businesses.some((b) => b.synthetic),
      };
    } catch (err) {
      businessesFor = null;
      notices.report(t('map.notice.businesses'), err, { level: 'warning' });
    }
  }

  return {
    showVanguard, vanguard, loadVanguard, showOrganisations, organisations, loadOrganisations,
    showBusinesses, businesses, businessLinks, businessFigures, loadBusinesses,
  };
});
