// The watchers both map pages need: the boundaries and grids from the atlas store, the zooms
// derived from them, the selected grid, the focused subdistrict and the camera requests. The city
// map ("/") and the command centre ("/command") draw the same atlas, so they bind it here once
// and add only their own layers beside it.
import { watch, type WatchStopHandle } from 'vue';
import type { AtlasMap, DerivedZooms } from '../map/AtlasMap';
import { useAtlasStore } from '../stores/atlas';
import { useSelectionStore } from '../stores/selection';

/** Binds the atlas and the selection to `m`; `onDerived` hears the derived zooms once known. */
export function bindAtlasData(m: AtlasMap, onDerived?: (derived: DerivedZooms) => void): WatchStopHandle[] {
  const atlas = useAtlasStore();
  const selection = useSelectionStore();
  return [
    watch(() => atlas.cityOutline, (fc) => fc && m.setCityOutline(fc), { immediate: true }),
    watch(() => atlas.subdistricts, (fc) => fc && m.setSubdistricts(fc), { immediate: true }),
    watch(() => atlas.communities, (fc) => fc && m.setCommunities(fc), { immediate: true }),
    watch([() => atlas.grids, () => atlas.householdBreaks], ([fc, breaks]) => fc && m.setGrids(fc, breaks), { immediate: true }),
    watch(
      [() => atlas.subdistricts, () => atlas.communities, () => atlas.grids],
      ([sd, comm, grids]) => {
        const derived = m.applyDerivedZooms(sd, comm, grids);
        if (derived) onDerived?.(derived);
      },
      { immediate: true },
    ),
    watch(() => selection.selectedGridId, (id) => m.select(id), { immediate: true }),
    watch(() => selection.focusedSubdistrictId, (id) => m.focusSubdistrict(id), { immediate: true }),
    watch(
      () => selection.cameraRequest,
      (req) => {
        if (!req) return;
        const t = req.target;
        if (t.kind === 'home') m.flyHome();
        else if (t.kind === 'subdistrict') m.flyToSubdistrict(t.id);
        else if (t.kind === 'community') m.flyToCommunity(t.id);
        else m.flyToGrid(t.id);
      },
    ),
  ];
}
