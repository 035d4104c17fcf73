// A synthetic street network for the map's ground, so a leader can tell where things are. Not
// surveyed: the main roads run along the Qing River valley at fixed offsets from the hand-drawn
// river course (river.ts) and carry real street names of urban Enshi (streets.ts uses the same
// names for addresses); cross streets every ~0.7 km, the ones that cross the river as bridges.
// Deterministic (no randomness), so every run serves the same picture.
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { QING_RIVER_APPROX, QING_RIVER_LABEL, riverX } from './river.ts';
import { toLonLat, type Xy } from './projection.ts';

export type BasemapKind = 'river' | 'main' | 'minor';
export interface BasemapProps {
  kind: BasemapKind;
  /** The label: a real street name (its course is invented) or null for an unnamed street. */
  name: string | null;
  synthetic: true;
}

/** Main roads parallel to the river: east (+) / west (−) offset in km, and the northing range. */
const PARALLELS: { name: string; offset: number; from: number; to: number }[] = [
  { name: '施州大道', offset: 1.25, from: -4.2, to: 4.6 },
  { name: '舞阳大街', offset: 0.42, from: -2.2, to: 3.2 },
  { name: '解放路', offset: -0.45, from: -1.8, to: 2.6 },
  { name: '航空路', offset: -1.3, from: -4.0, to: 1.8 },
  { name: '金桂大道', offset: -1.1, from: 2.2, to: 4.8 },
];

/** Cross streets every STEP km of northing; those in BRIDGES cross the river and are named. */
const STEP = 0.7;
const CROSS_FROM = -3.5;
const CROSS_TO = 4.2;
const BRIDGES: Record<number, string> = { 1: '龙凤大道', 4: '大桥路', 6: '民族路', 8: '胜利街', 10: '土桥大道' };

const round3 = (v: number) => Math.round(v * 1000) / 1000;
/** A gentle deterministic wiggle so parallel roads do not look ruled. */
const wiggle = (y: number, k: number) => 0.06 * Math.sin(y * 1.9 + k * 1.3);

function line(points: Xy[], kind: BasemapKind, name: string | null): Feature<LineString, BasemapProps> {
  return { type: 'Feature', geometry: { type: 'LineString', coordinates: points.map((p) => toLonLat(p)) }, properties: { kind, name, synthetic: true } };
}

/** The river, main roads and cross streets as one FeatureCollection (river first, drawn lowest). */
export function generateBasemap(): FeatureCollection<LineString, BasemapProps> {
  const features: Feature<LineString, BasemapProps>[] = [
    { type: 'Feature', geometry: QING_RIVER_APPROX, properties: { kind: 'river', name: QING_RIVER_LABEL, synthetic: true } },
  ];
  PARALLELS.forEach((road, k) => {
    const pts: Xy[] = [];
    for (let y = road.from; y <= road.to + 1e-9; y += 0.1) pts.push([round3(riverX(y) + road.offset + wiggle(y, k)), round3(y)]);
    features.push(line(pts, 'main', road.name));
  });
  for (let i = 0, y = CROSS_FROM; y <= CROSS_TO + 1e-9; i++, y += STEP) {
    const bridge = BRIDGES[i];
    // Bridges span both banks out to the outer roads; other cross streets stay on one bank each.
    const spans: [number, number][] = bridge ? [[-1.35, 1.3]] : [[-1.35, -0.15], [0.15, 1.3]];
    for (const [a, b] of spans) {
      const pts: Xy[] = [];
      for (let t = 0; t <= 4; t++) {
        const off = a + ((b - a) * t) / 4;
        pts.push([round3(riverX(y) + off), round3(y + 0.05 * Math.sin(off * 2 + i))]);
      }
      features.push(line(pts, bridge ? 'main' : 'minor', bridge ?? null));
    }
  }
  return { type: 'FeatureCollection', features };
}
