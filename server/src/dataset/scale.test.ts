// GRID_ATLAS_SCALE: the generator at scale 2 against the dataset this backend seeded (scale 1):
// twice its subdistricts, communities, grids, households, households in difficulty and party
// members, every household linked to a cadre, and the synthetic town lying inside the real city
// outline without overlapping the core (checked by PostGIS, not by the generator's code).
// The scaled dataset is generated in memory only: no scaled seed runs in the tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enshiTotals, loadCityOutline, MAX_SCALE, scaleFromEnv } from '@grid-atlas/geodata';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from '../db/index.ts';
import { generateDataset, type GeneratedDataset } from './seed.ts';

let db: Db;
let two: GeneratedDataset;
beforeAll(async () => {
  db = await openTestDb();
  two = generateDataset(2);
});
afterAll(() => db?.close());

const one = async (sql: string, params: unknown[] = []) => (await db.query<any>(sql, params)).rows[0];

describe('the dataset at scale 2 (GRID_ATLAS_SCALE=2)', () => {
  it('holds twice the units and people of the seeded scale-1 dataset', async () => {
    // the seeded tables, counted as other tests leave them (they add no households, grids or cadres of these kinds)
    const seeded = await one(`SELECT (SELECT count(*) FROM subdistricts WHERE code LIKE '42280100_') AS subdistricts,
                                     (SELECT count(*) FROM communities WHERE code LIKE '42280100_%') AS communities,
                                     (SELECT count(*) FROM grids WHERE code LIKE '42280100_%') AS grids,
                                     (SELECT count(*) FROM households) AS households,
                                     (SELECT count(*) FROM households WHERE in_difficulty) AS difficulty,
                                     (SELECT count(*) FROM cadres WHERE kind = 'in_service') AS in_service,
                                     (SELECT count(*) FROM cadres WHERE kind = 'sunk') AS sunk`);
    const p = two.population;
    const kind = (k: string) => p.cadres.filter((c) => c.kind === k).length;
    expect({
      subdistricts: two.boundaries.subdistricts.features.length,
      communities: two.boundaries.communities.features.length,
      grids: two.boundaries.grids.features.length,
      households: p.households.length,
      difficulty: p.households.filter((h) => h.in_difficulty).length,
      in_service: kind('in_service'),
      sunk: kind('sunk'),
    }).toEqual(Object.fromEntries(Object.entries(seeded).map(([k, v]) => [k, 2 * Number(v)])));
    const t = enshiTotals(2);
    expect(p.households).toHaveLength(t.households);
    expect(kind('grid_worker')).toBe(t.grids);
    expect(p.departments).toHaveLength(t.departments);
    // the core is the committed dataset, the town's units are new and marked synthetic
    const codes = two.boundaries.grids.features.map((f) => f.properties.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(two.boundaries.grids.features.slice(t.grids / 2).every((f) => f.properties.synthetic && /^4228019/.test(f.properties.code))).toBe(true);
  });

  it('links every household to a cadre, 双定三联 for every household in difficulty', () => {
    const p = two.population;
    const linked = new Set(p.links.map((l) => l.household_id));
    expect(p.households.filter((h) => !linked.has(h.id))).toEqual([]);
    const difficulty = new Set(p.links.filter((l) => l.kind === 'difficulty').map((l) => l.household_id));
    expect(p.households.filter((h) => h.in_difficulty && !difficulty.has(h.id))).toEqual([]);
    // every household's grid exists, in both halves
    const grids = new Set(two.boundaries.grids.features.map((f) => f.properties.code));
    expect(p.households.filter((h) => !grids.has(h.grid_code))).toEqual([]);
  });

  it('puts the synthetic town inside the city outline, overlapping no other subdistrict', async () => {
    const outline = JSON.stringify(loadCityOutline().geometry);
    const subdistricts = two.boundaries.subdistricts.features.map((f) => JSON.stringify(f.geometry));
    const r = await one(
      `WITH s AS (SELECT i, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS g FROM unnest($2::text[]) WITH ORDINALITY AS t (g, i)),
            o AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g)
       SELECT (SELECT count(*) FROM s, o WHERE NOT ST_Covers(o.g, s.g)) AS outside,
              (SELECT count(*) FROM s a JOIN s b ON a.i < b.i AND ST_Relate(a.g, b.g, '2********')) AS overlapping,
              (SELECT count(*) FROM s WHERE NOT ST_IsValid(g)) AS invalid`,
      [outline, subdistricts],
    );
    expect(r).toEqual({ outside: 0, overlapping: 0, invalid: 0 });
  });

  it('reads GRID_ATLAS_SCALE as an integer from 1 to MAX_SCALE', () => {
    expect(scaleFromEnv(undefined)).toBe(1);
    expect(scaleFromEnv('')).toBe(1);
    expect(scaleFromEnv('10')).toBe(10);
    for (const bad of ['0', '-1', '2.5', 'ten', String(MAX_SCALE + 1)]) expect(() => scaleFromEnv(bad)).toThrow(/GRID_ATLAS_SCALE/);
  });
});
