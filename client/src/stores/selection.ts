// What the user is looking at: the selected grid (drives the grid card) and camera requests.
//
// Components do not hold the MapLibre map; they ask for a camera move here and MapView performs it.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { GridProps } from '@grid-atlas/contract';
import { useAtlasStore } from './atlas';

export type CameraTarget =
  | { kind: 'home' }
  | { kind: 'subdistrict'; id: number }
  | { kind: 'community'; id: number }
  | { kind: 'grid'; id: number };

export const useSelectionStore = defineStore('selection', () => {
  const atlas = useAtlasStore();

  const selectedGridId = ref<number | null>(null);
  const focusedSubdistrictId = ref<number | null>(null);
  /** The latest camera request; `seq` makes a repeated request (same target twice) observable. */
  const cameraRequest = ref<{ target: CameraTarget; seq: number } | null>(null);
  let seq = 0;

  const selectedGrid = computed<GridProps | null>(() =>
    selectedGridId.value == null ? null : (atlas.gridById.get(selectedGridId.value) ?? null),
  );

  function selectGrid(id: number | null): void {
    selectedGridId.value = id;
  }

  function flyTo(target: CameraTarget): void {
    cameraRequest.value = { target, seq: ++seq };
    if (target.kind === 'subdistrict') focusedSubdistrictId.value = target.id;
    if (target.kind === 'home') focusedSubdistrictId.value = null;
  }

  return { selectedGridId, selectedGrid, focusedSubdistrictId, cameraRequest, selectGrid, flyTo };
});
