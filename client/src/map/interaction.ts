// Pointer interaction on grids: hover highlight (feature-state, no re-render of data) and click.
import type { Map as MaplibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import { LAYER, SOURCE } from '../layers/ids';

export interface GridInteractionHandlers {
  onSelect: (gridId: number | null) => void;
}

/** Wires hover/click on the grid fill layer; returns a function that unwires it. */
export function bindGridInteraction(map: MaplibreMap, handlers: GridInteractionHandlers): () => void {
  let hoverId: number | null = null;

  const setHover = (id: number | null) => {
    if (id === hoverId) return;
    if (hoverId !== null) map.setFeatureState({ source: SOURCE.grids, id: hoverId }, { hover: false });
    hoverId = id;
    if (id !== null) map.setFeatureState({ source: SOURCE.grids, id }, { hover: true });
    map.getCanvas().style.cursor = id === null ? '' : 'pointer';
  };

  const featureId = (e: MapLayerMouseEvent): number | null => {
    const id = e.features?.[0]?.id;
    return typeof id === 'number' ? id : id != null && !Number.isNaN(Number(id)) ? Number(id) : null;
  };

  const onMove = (e: MapLayerMouseEvent) => setHover(featureId(e));
  const onLeave = () => setHover(null);
  const onGridClick = (e: MapLayerMouseEvent) => {
    handlers.onSelect(featureId(e));
  };
  // A click outside every grid closes the card.
  const onMapClick = (e: MapLayerMouseEvent) => {
    const hits = map.queryRenderedFeatures(e.point, { layers: [LAYER.gridFill] });
    if (hits.length === 0) handlers.onSelect(null);
  };

  map.on('mousemove', LAYER.gridFill, onMove);
  map.on('mouseleave', LAYER.gridFill, onLeave);
  map.on('click', LAYER.gridFill, onGridClick);
  map.on('click', onMapClick);
  return () => {
    map.off('mousemove', LAYER.gridFill, onMove);
    map.off('mouseleave', LAYER.gridFill, onLeave);
    map.off('click', LAYER.gridFill, onGridClick);
    map.off('click', onMapClick);
  };
}

/** Moves the 'selected' feature-state from one grid to another. */
export function setSelectedGrid(map: MaplibreMap, prev: number | null, next: number | null): void {
  if (!map.getSource(SOURCE.grids)) return;
  if (prev !== null) map.setFeatureState({ source: SOURCE.grids, id: prev }, { selected: false });
  if (next !== null) map.setFeatureState({ source: SOURCE.grids, id: next }, { selected: true });
}

/** Moves the 'focused' feature-state between subdistricts (side-panel selection). */
export function setFocusedSubdistrict(map: MaplibreMap, prev: number | null, next: number | null): void {
  if (!map.getSource(SOURCE.subdistricts)) return;
  if (prev !== null) map.setFeatureState({ source: SOURCE.subdistricts, id: prev }, { focused: false });
  if (next !== null) map.setFeatureState({ source: SOURCE.subdistricts, id: next }, { focused: true });
}
