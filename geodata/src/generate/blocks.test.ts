import { describe, expect, it } from 'vitest';
import { area, booleanPointInPolygon, featureCollection, intersect, kinks, polygon, union } from '@turf/turf';
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

// A grid of a synthetic town (GRID_ATLAS_SCALE=10) and its 23 building seeds, two of them 0.3 m
// apart: cut into the Voronoi cells of every seed, three of its blocks overlapped (3,646 m²).
const TOWN_GRID_RING: number[][] = [
    [109.5473047, 30.3016285], [109.5474011, 30.3017842], [109.5474817, 30.3019466], [109.5475898, 30.3020974],
    [109.5476261, 30.3022786], [109.5477384, 30.3024275], [109.5477941, 30.3026006], [109.5478511, 30.302773],
    [109.5478506, 30.3029699], [109.5479541, 30.3031226], [109.5480144, 30.3032937], [109.5481211, 30.303445],
    [109.5482177, 30.3036006], [109.5483057, 30.3037599], [109.5484401, 30.3038994], [109.5485868, 30.3040337],
    [109.5487388, 30.3041658], [109.5486526, 30.3043213], [109.5485726, 30.3044796], [109.5485254, 30.3046532],
    [109.5484618, 30.3048192], [109.5483644, 30.3049694], [109.5482498, 30.3051117], [109.5481549, 30.3052632],
    [109.5480021, 30.3053878], [109.5478997, 30.3055358], [109.5477959, 30.3056831], [109.5477081, 30.3058378],
    [109.5474815, 30.3057639], [109.5472554, 30.3056889], [109.5470353, 30.3055948], [109.5468185, 30.3054904],
    [109.5465881, 30.3054287], [109.5463626, 30.3053515], [109.5461376, 30.3052729], [109.5459055, 30.3052168],
    [109.5456737, 30.3051593], [109.5454192, 30.3051738], [109.5451781, 30.3051461], [109.544921, 30.3051687],
    [109.5446898, 30.3051096], [109.5444371, 30.3051184], [109.5442091, 30.305049], [109.5439806, 30.3049815],
    [109.5437577, 30.3048962], [109.5438611, 30.3047046], [109.5439598, 30.3045111], [109.5440314, 30.3043065],
    [109.5441218, 30.3041097], [109.5441758, 30.3038979], [109.5442412, 30.3036908], [109.5443362, 30.3034958],
    [109.5443672, 30.3032747], [109.5444419, 30.3030714], [109.5445806, 30.3028942], [109.5446913, 30.3027057],
    [109.5448127, 30.3025214], [109.5449592, 30.3023475], [109.5450831, 30.3021643], [109.5452297, 30.3019903],
    [109.5453729, 30.301815], [109.5455246, 30.3016432], [109.5456961, 30.3015826], [109.545852, 30.3014908],
    [109.5460152, 30.3014136], [109.5461918, 30.3013635], [109.546375, 30.301327], [109.5465362, 30.3013628],
    [109.5466982, 30.3013968], [109.5468525, 30.3014485], [109.5469967, 30.3015235], [109.5471441, 30.3015914],
    [109.5473047, 30.3016285],
  ];
const TOWN_GRID_SEEDS: number[][] = [
    [109.54782361538462, 30.305380399999997], [109.54457116363638, 30.305040381818177], [109.5446637142857, 30.30474590714286], [109.54457983333333, 30.304569349999998],
    [109.54649608571428, 30.30456621428571], [109.5440762, 30.30450643125], [109.54620186666666, 30.30420983333333], [109.54442428333334, 30.30386436666667],
    [109.54630862142858, 30.30370675714286], [109.54574095000001, 30.303686210000002], [109.5467572375, 30.303640100000003], [109.54619155833332, 30.303489225000003],
    [109.54540928888889, 30.303175877777775], [109.54465969090907, 30.30307037272727], [109.54635418333332, 30.303010091666664], [109.54763532499999, 30.3027388375],
    [109.54614097142857, 30.302734028571425], [109.54619240714287, 30.30263887142857], [109.54618972, 30.3026342], [109.54517181111112, 30.302622433333333],
    [109.54547427272725, 30.30234778181818], [109.54708394375002, 30.301725018750005], [109.54610662000002, 30.30159726666666],
  ];

describe('deriveBlocks on seeds centimetres apart', () => {
  it('tiles the grid: no two blocks overlap and their areas add up to the grid', () => {
    const g = grid('422801924001017', 17, TOWN_GRID_RING);
    const d = deriveBlocks(g, TOWN_GRID_SEEDS.map(([lon, lat], i) => home('422801924001017', `B${i}`, lon, lat)));
    const polys = d.blocks.map((x) => polygon(x.geometry.coordinates));
    for (let i = 0; i < polys.length; i++)
      for (let j = i + 1; j < polys.length; j++) {
        const both = intersect(featureCollection([polys[i], polys[j]]));
        expect(both ? area(both) : 0, `blocks ${i + 1} and ${j + 1}`).toBeLessThan(1);
      }
    const sum = polys.reduce((s, p) => s + area(p), 0);
    expect(Math.abs(sum - area(polygon([TOWN_GRID_RING]))) / sum).toBeLessThan(1e-6);
    expect(d.blocks.length).toBeGreaterThan(20);
  });
});
