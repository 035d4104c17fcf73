import { describe, expect, it } from 'vitest';
import { area, booleanPointInPolygon, featureCollection, kinks, polygon, union } from '@turf/turf';
import type { FeatureCollection, Polygon } from 'geojson';
import type { GridProps, Household } from '../types.ts';
import { deriveBlocks, generatePopulation, loadEnshiBoundaries } from '../index.ts';
import { buildBlockGraph } from '../plan/graph.ts';

const b = loadEnshiBoundaries();
const pop = generatePopulation(b);
const derived = deriveBlocks(b.grids, pop.households);

const grid = (code: string, number: number, ring: number[][]): FeatureCollection<Polygon, GridProps> => ({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { code, number, name: `第${number}网格`, community_code: code.slice(0, 12), synthetic: true }, geometry: { type: 'Polygon', coordinates: [ring] } }],
});
let nextId = 1;
const home = (grid_code: string, building: string, lon: number, lat: number): Household => ({
  id: nextId++, grid_code, lon, lat, building, address: building, size: 1, in_difficulty: false, head_name: '', phone: '',
});

describe('deriveBlocks', () => {
  it('gives the same blocks for the same seed', () => {
    const again = deriveBlocks(loadEnshiBoundaries().grids, generatePopulation(loadEnshiBoundaries()).households);
    expect(again.blocks).toEqual(derived.blocks);
    expect(Array.from(again.blockOfHousehold)).toEqual(Array.from(derived.blockOfHousehold));
  });

  it('numbers the blocks of each community 1..n, every grid holding at least one', () => {
    const codes = derived.blocks.map((x) => x.code);
    expect(new Set(codes).size).toBe(codes.length);
    const byCommunity = new Map<string, number[]>();
    for (const x of derived.blocks) {
      expect(x.code).toMatch(/^[0-9]{12}K[0-9]{4}$/);
      expect(x.code.slice(0, 12)).toBe(x.community_code);
      expect(x.grid_code.slice(0, 12)).toBe(x.community_code);
      byCommunity.set(x.community_code, [...(byCommunity.get(x.community_code) ?? []), Number(x.code.slice(13))]);
    }
    for (const ks of byCommunity.values()) expect(ks).toEqual(ks.map((_, i) => i + 1));
    const perGrid = new Map<string, number>();
    for (const x of derived.blocks) perGrid.set(x.grid_code, (perGrid.get(x.grid_code) ?? 0) + 1);
    expect(perGrid.size).toBe(b.grids.features.length);
    expect(derived.blocks.length / perGrid.size).toBeGreaterThan(3);
    expect(Math.max(...perGrid.values())).toBeLessThanOrEqual(80);
  });

  it('tiles every grid: simple polygons whose areas add up to the grid, no overlap', () => {
    const blocksOf = new Map<string, Polygon[]>();
    for (const x of derived.blocks) blocksOf.set(x.grid_code, [...(blocksOf.get(x.grid_code) ?? []), x.geometry]);
    for (const g of b.grids.features) {
      const own = blocksOf.get(g.properties.code)!;
      for (const p of own) {
        expect(p.coordinates).toHaveLength(1);
        expect(kinks(polygon(p.coordinates)).features).toHaveLength(0);
      }
      const sum = own.reduce((s, p) => s + area(polygon(p.coordinates)), 0);
      expect(Math.abs(sum - area(g)), g.properties.code).toBeLessThan(1);
    }
    // the union as well, for one community (a sum alone would hide an overlap that matches a gap)
    const community = b.communities.features[0].properties.code;
    for (const g of b.grids.features.filter((x) => x.properties.community_code === community)) {
      const own = blocksOf.get(g.properties.code)!;
      const u = own.length > 1 ? union(featureCollection(own.map((p) => polygon(p.coordinates))))! : polygon(own[0].coordinates);
      expect(Math.abs(area(u) - area(g)), g.properties.code).toBeLessThan(1);
    }
  });

  it('puts every household into a block of its own grid that covers it', () => {
    pop.households.forEach((h, i) => {
      const x = derived.blocks[derived.blockOfHousehold[i]];
      expect(x.grid_code).toBe(h.grid_code);
      expect(booleanPointInPolygon([h.lon, h.lat], polygon(x.geometry.coordinates)), `household ${h.id}`).toBe(true);
    });
  });

  it('gives the planner a connected graph of each community: neighbouring blocks share their edges', () => {
    const community = b.communities.features[1].properties.code;
    const own = derived.blocks.map((x, i) => ({ x, i })).filter(({ x }) => x.community_code === community);
    const graph = buildBlockGraph(featureCollection(own.map(({ x, i }) => ({ type: 'Feature' as const, properties: { id: i + 1 }, geometry: x.geometry }))), { tolerance: 0 });
    const seen = new Set([0]);
    const queue = [0];
    while (queue.length) {
      const v = queue.pop()!;
      for (let k = graph.adjStart[v]; k < graph.adjStart[v + 1]; k++)
        if (!seen.has(graph.adj[k])) {
          seen.add(graph.adj[k]);
          queue.push(graph.adj[k]);
        }
    }
    expect(seen.size).toBe(own.length);
  });

  it('cuts a grid between its buildings, and keeps a grid of one building whole', () => {
    const square = [[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]];
    const two = deriveBlocks(grid('422801001001001', 1, square), [
      home('422801001001001', 'A', 0.002, 0.005), home('422801001001001', 'A', 0.002, 0.006),
      home('422801001001001', 'B', 0.008, 0.005),
    ]);
    expect(two.blocks.map((x) => x.code)).toEqual(['422801001001K0001', '422801001001K0002']);
    // building A's seed is (0.002, 0.0055), B's (0.008, 0.005): the bisector runs near x = 0.005
    const areas = two.blocks.map((x) => area(polygon(x.geometry.coordinates)));
    expect(Math.abs(areas[0] + areas[1] - area(polygon([square])))).toBeLessThan(0.01);
    expect(Array.from(two.blockOfHousehold).map((i) => two.blocks[i].geometry.coordinates[0].some((p) => p[0] === 0))).toEqual([true, true, false]);

    const one = deriveBlocks(grid('422801001001001', 1, square), [home('422801001001001', 'A', 0.002, 0.005), home('422801001001001', 'A', 0.003, 0.005)]);
    expect(one.blocks).toHaveLength(1);
    expect(one.blocks[0].geometry.coordinates).toEqual([square]);
  });

  it('splits a cell that the grid leaves in two parts into two blocks', () => {
    // a U-shaped grid: building B has homes at the top of both arms, its seed between them
    const u = [[0, 0], [0.03, 0], [0.03, 0.03], [0.02, 0.03], [0.02, 0.01], [0.01, 0.01], [0.01, 0.03], [0, 0.03], [0, 0]];
    const r = deriveBlocks(grid('422801001001001', 1, u), [
      home('422801001001001', 'A', 0.015, 0.005),
      home('422801001001001', 'B', 0.005, 0.029), home('422801001001001', 'B', 0.025, 0.029),
    ]);
    // B's cell (above y = 0.017) holds the top of both arms, as two parts; A's the rest
    expect(r.blocks).toHaveLength(3);
    const total = r.blocks.reduce((s, x) => s + area(polygon(x.geometry.coordinates)), 0);
    expect(Math.abs(total - area(polygon([u])))).toBeLessThan(0.01);
    expect(r.blocks.every((x) => kinks(polygon(x.geometry.coordinates)).features.length === 0)).toBe(true);
  });
});
