// Hooks for browser tests (e2e/). They are part of the contract, keep them stable:
//   city map "/":
//     document.documentElement.dataset.gridsLoaded = "<count>"      (attribute data-grids-loaded)
//     window.__gridAtlas = { gridCount, map }                        (map: the raw MapLibre map)
//   community view "/community":
//     document.documentElement.dataset.communityLoaded = "<community id>"
//     window.__gridAtlas = { gridCount, householdCount, map }        (what is drawn)
//     document.documentElement.dataset.markersVanguard / .markersOrganisations = "<count>"
//       (attributes data-markers-vanguard / data-markers-organisations: the organisation layers' markers drawn)
//     document.documentElement.dataset.markersBusinesses = "<count>" (the businesses drawn, 双定三联's third link)
//   planner "/planner":
//     document.documentElement.dataset.plannerLoaded = "<community id>:<blocks>"; window.__gridAtlas.map
// Set only after the data reached the map AND the map went idle, i.e. it is drawn.
//
// Only in test builds (VITE_TEST_HOOKS=1: `node scripts/build-client-if-stale.mjs --test-hooks`,
// which the browser tests run). Vite replaces the flag with a constant, so in a production build
// every hook below is an empty function and the minifier drops its body: no map on `window`.
import type { Map as MaplibreMap } from 'maplibre-gl';

const TEST_HOOKS = import.meta.env.VITE_TEST_HOOKS === '1';

export interface GridAtlasTestState {
  gridCount: number;
  householdCount?: number;
  map: MaplibreMap;
}

/** Runs `then` once the map has drawn what it was just given. */
function whenIdle(map: MaplibreMap, then: () => void): void {
  map.once('idle', then);
  // setData alone may not schedule a repaint when nothing else changes; make sure 'idle' follows.
  map.triggerRepaint();
}

export function markGridsLoaded(map: MaplibreMap, count: number): void {
  if (!TEST_HOOKS) return;
  whenIdle(map, () => {
    window.__gridAtlas = { ...window.__gridAtlas, gridCount: count, map };
    document.documentElement.dataset.gridsLoaded = String(count);
  });
}

export function markCommunityLoaded(map: MaplibreMap, communityId: number, counts: () => { gridCount: number; householdCount: number }): void {
  if (!TEST_HOOKS) return;
  whenIdle(map, () => {
    window.__gridAtlas = { ...window.__gridAtlas, ...counts(), map };
    document.documentElement.dataset.communityLoaded = String(communityId);
  });
}

/** Community view: how many markers an organisation layer draws, once the map has drawn them. */
export function markMarkersDrawn(map: MaplibreMap, slot: 'vanguard' | 'organisations' | 'businesses', count: () => number): void {
  if (!TEST_HOOKS) return;
  const key = ({ vanguard: 'markersVanguard', organisations: 'markersOrganisations', businesses: 'markersBusinesses' } as const)[slot];
  delete document.documentElement.dataset[key];
  whenIdle(map, () => {
    document.documentElement.dataset[key] = String(count());
  });
}

/** Leaving a view (or switching community): the hooks must not describe what is gone. */
export function clearCommunityLoaded(): void {
  if (!TEST_HOOKS) return;
  delete document.documentElement.dataset.communityLoaded;
}

/** Planner "/planner": data-planner-loaded = "<community id>:<block count>" once the blocks are drawn. */
export function markPlannerLoaded(map: MaplibreMap, communityId: number, blocks: number): void {
  if (!TEST_HOOKS) return;
  delete document.documentElement.dataset.plannerLoaded;
  whenIdle(map, () => {
    window.__gridAtlas = { ...window.__gridAtlas, gridCount: window.__gridAtlas?.gridCount ?? 0, map };
    document.documentElement.dataset.plannerLoaded = `${communityId}:${blocks}`;
  });
}
