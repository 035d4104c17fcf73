// The command centre's drill-down: city → subdistrict → community → grid. Every panel, the map's
// camera and the live feed follow the one area held here; the page only wires clicks to it.
import { computed, ref } from 'vue';
import { useAtlasStore } from '../stores/atlas';
import { useSelectionStore } from '../stores/selection';
import type { Area } from './panels';

/** The area a drill-down state stands for: the deepest level chosen. */
export function areaOf(subdistrict: number | null, community: number | null, grid: number | null): Area {
  if (grid !== null) return { level: 'grid', id: grid };
  if (community !== null) return { level: 'community', id: community };
  if (subdistrict !== null) return { level: 'subdistrict', id: subdistrict };
  return { level: 'city' };
}

interface GridUnit {
  id: number;
  subdistrict_id: number;
  community_id: number;
}

/** Ids of the grids inside `area`; null for the whole city (no filter). */
export function gridsInArea(grids: readonly GridUnit[], area: Area): Set<number> | null {
  if (area.level === 'city') return null;
  const key = area.level === 'grid' ? 'id' : area.level === 'community' ? 'community_id' : 'subdistrict_id';
  return new Set(grids.filter((g) => g[key] === area.id).map((g) => g.id));
}

/**
 * `home`: the subdistrict a subdistrict's administrator is held to (the widest area they see),
 * null for the city roles.
 */
export function useDrill(home: number | null) {
  const atlas = useAtlasStore();
  const selection = useSelectionStore();
  /** Null = the whole city; otherwise the subdistrict every panel filters to. */
  const drill = ref<number | null>(home);
  /** Deeper inside the subdistrict: a community, then one of its grids. */
  const community = ref<number | null>(null);
  const grid = ref<number | null>(null);
  const drillProps = computed(() => atlas.subdistrictList.find((s) => s.id === drill.value) ?? null);
  const communityProps = computed(() => atlas.communities?.features.find((f) => f.properties.id === community.value)?.properties ?? null);
  const gridProps = computed(() => (grid.value === null ? null : (atlas.gridById.get(grid.value) ?? null)));
  const area = computed<Area>(() => areaOf(drill.value, community.value, grid.value));
  const areaName = computed(() => gridProps.value?.name ?? communityProps.value?.name ?? drillProps.value?.name ?? null);
  /** Grid ids inside the area in view (null: all). */
  const areaGrids = computed(() =>
    drill.value === null || !atlas.grids ? null : gridsInArea(atlas.grids.features.map((f) => f.properties), area.value),
  );
  /** The communities of a subdistrict's centre, in code order. */
  const homeCommunities = computed(() =>
    (atlas.communities?.features ?? []).map((f) => f.properties).filter((c) => c.subdistrict_id === home).sort((a, b) => a.code.localeCompare(b.code)),
  );

  function to(id: number | null): void {
    id ??= home;
    drill.value = id;
    community.value = null;
    grid.value = null;
    selection.flyTo(id === null ? { kind: 'home' } : { kind: 'subdistrict', id });
  }
  function toCommunity(id: number): void {
    const c = atlas.communities?.features.find((f) => f.properties.id === id)?.properties;
    if (!c) return;
    drill.value = c.subdistrict_id;
    community.value = id;
    grid.value = null;
    selection.flyTo({ kind: 'community', id });
  }
  function toGrid(id: number): void {
    const g = atlas.gridById.get(id);
    if (!g) return;
    drill.value = g.subdistrict_id;
    community.value = g.community_id;
    grid.value = id;
    selection.flyTo({ kind: 'grid', id });
  }
  /** A click on the map goes one level deeper: city → subdistrict → community → grid. */
  function byGrid(id: number | null): void {
    if (id === null) return;
    const g = atlas.gridById.get(id);
    if (!g) return;
    if (drill.value !== g.subdistrict_id) to(g.subdistrict_id);
    else if (community.value !== g.community_id) toCommunity(g.community_id);
    else toGrid(id);
  }
  /** A scoreboard row: a subdistrict toggles, a community or a grid drills to it. */
  function fromBoard(level: 'subdistrict' | 'community' | 'grid', id: number): void {
    if (level === 'subdistrict') to(id === drill.value ? null : id);
    else if (level === 'community') toCommunity(id);
    else toGrid(id);
  }
  /** The unit the coverage ranking lists and marks: subdistricts for the city, else communities. */
  const rankedUnit = computed(() => (home === null ? drill.value : community.value));
  /** A ranking row: drills into its unit, or back out of it when it is already the one in view. */
  function fromRanking(id: number): void {
    if (home === null) to(id === drill.value ? null : id);
    else if (id === community.value) to(home);
    else toCommunity(id);
  }

  return {
    home, drill, community, grid, drillProps, communityProps, gridProps, area, areaName, areaGrids, homeCommunities,
    rankedUnit, to, toCommunity, toGrid, byGrid, fromBoard, fromRanking,
  };
}

export type Drill = ReturnType<typeof useDrill>;
