// Hooks for browser tests (e2e/). They are part of the contract, keep them stable:
//   document.documentElement.dataset.gridsLoaded = "<count>"  (attribute data-grids-loaded)
//   window.__gridAtlas = { gridCount, map }                     (map: the raw MapLibre map)
// Set only after the grid source received its data AND the map went idle, i.e. the grids are drawn.
import type { Map as MaplibreMap } from 'maplibre-gl';

export function markGridsLoaded(map: MaplibreMap, count: number): void {
  map.once('idle', () => {
    window.__gridAtlas = { gridCount: count, map };
    document.documentElement.dataset.gridsLoaded = String(count);
  });
  // setData alone may not schedule a repaint when nothing else changes; make sure 'idle' follows.
  map.triggerRepaint();
}
