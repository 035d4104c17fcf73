// Drawing the line that cuts blocks (街区切分), or the new edge between two blocks (边界重画):
// terra-draw's line mode on the planner's map, with its MapLibre adapter. Click to add points,
// Enter (or a click on the last point) to finish, Escape to drop the line. Points snap to the blocks' own vertices within SNAP_PX, so a cut can
// start and end exactly on an existing corner. terra-draw only draws: the line goes to the
// server, which cuts the blocks in PostGIS (POST /api/blocks/split, POST /api/blocks/edge).
import type { Map as MaplibreMap } from 'maplibre-gl';
import { TerraDraw, TerraDrawLineStringMode, type TerraDrawMouseEvent } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';

const SNAP_PX = 10;

export class CutTool {
  private readonly draw: TerraDraw;
  private vertices: [number, number][] = [];
  private running = false;

  constructor(private readonly map: MaplibreMap, onLine: (coordinates: [number, number][]) => void) {
    const snap = (e: TerraDrawMouseEvent): [number, number] | undefined => {
      let best: [number, number] | undefined;
      let bestD = SNAP_PX * SNAP_PX;
      for (const v of this.vertices) {
        const p = this.map.project(v);
        const d = (p.x - e.containerX) ** 2 + (p.y - e.containerY) ** 2;
        if (d < bestD) { bestD = d; best = v; }
      }
      return best;
    };
    this.draw = new TerraDraw({
      // Coordinates as the blocks have them (terra-draw rounds to 9 decimals by default, which
      // would move a snapped corner off the outline by a few nanodegrees).
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'planner-cut', coordinatePrecision: 15 }),
      modes: [new TerraDrawLineStringMode({
        snapping: { toCustom: snap },
        styles: { lineStringColor: '#ffe066', lineStringWidth: 3, closingPointColor: '#ffe066', snappingPointColor: '#ffffff' },
      })],
    });
    this.draw.on('finish', (id) => {
      const f = this.draw.getSnapshotFeature(id);
      this.draw.clear();
      if (f?.geometry.type === 'LineString') onLine(f.geometry.coordinates as [number, number][]);
    });
  }

  /** The blocks whose corners a point may snap to. */
  setBlocks(fc: { features: { geometry: unknown }[] }): void {
    const out: [number, number][] = [];
    for (const f of fc.features) {
      const g = f.geometry as { type: string; coordinates: number[][][] | number[][][][] };
      const polys = g.type === 'Polygon' ? [g.coordinates as number[][][]] : (g.coordinates as number[][][][]);
      for (const poly of polys) for (const ring of poly) for (const [x, y] of ring) out.push([x, y]);
    }
    this.vertices = out;
  }

  start(): void {
    if (this.running) return;
    this.draw.start();
    this.draw.setMode('linestring');
    this.running = true;
  }

  stop(): void {
    if (!this.running) return;
    this.draw.clear();
    this.draw.stop();
    this.running = false;
  }
}
