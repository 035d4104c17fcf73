// without_specks (migration 0038): a grid's dissolve loses the holes under one square metre that
// block edges meeting imperfectly leave behind, and keeps every real hole and every part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from './index.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

// A 0.001° square (about 96 m × 111 m) in Enshi, with a vertex in the middle of its south side.
const X = 109.49, Y = 30.28;
const shell = (x: number, y: number) => `${x} ${y}, ${x + 0.0005} ${y}, ${x + 0.001} ${y}, ${x + 0.001} ${y + 0.001}, ${x} ${y + 0.001}, ${x} ${y}`;
// A sliver of about 1e-4 m² touching the shell at its south vertex: what a dissolve leaves.
const speck = (x: number, y: number) => `${x + 0.0005} ${y}, ${x + 0.0004999} ${y + 0.0000001}, ${x + 0.0005001} ${y + 0.0000001}, ${x + 0.0005} ${y}`;
// A courtyard of about 20 m × 22 m: a real hole.
const court = (x: number, y: number) => `${x + 0.0004} ${y + 0.0004}, ${x + 0.0004} ${y + 0.0006}, ${x + 0.0006} ${y + 0.0006}, ${x + 0.0006} ${y + 0.0004}, ${x + 0.0004} ${y + 0.0004}`;

async function clean(wkt: string) {
  return (await db.query<{ valid_in: boolean; type: string; holes: number; area_lost: number; srid: number }>(
    `WITH g AS (SELECT ST_GeomFromText($1, 4326) AS g), c AS (SELECT g, without_specks(g) AS c FROM g)
     SELECT ST_IsValid(g) AS valid_in, GeometryType(c) AS type, ST_SRID(c) AS srid,
            (SELECT coalesce(sum(ST_NumInteriorRings(d.geom)), 0)::int FROM ST_Dump(c) d) AS holes,
            ST_Area(ST_Difference(g, c)::geography) AS area_lost
       FROM c`, [wkt])).rows[0];
}

describe('without_specks', () => {
  it('drops a sliver hole touching the shell and keeps a courtyard', async () => {
    const r = await clean(`POLYGON((${shell(X, Y)}), (${speck(X, Y)}), (${court(X, Y)}))`);
    expect(r.valid_in).toBe(true);
    expect(r).toMatchObject({ type: 'POLYGON', srid: 4326, holes: 1 });
    // Filling the speck only adds its area: nothing of the input is lost.
    expect(r.area_lost).toBe(0);
  });

  it('keeps a MultiPolygon a MultiPolygon, cleaning each part', async () => {
    const r = await clean(`MULTIPOLYGON(((${shell(X, Y)}), (${speck(X, Y)})), ((${shell(X + 0.002, Y)}), (${speck(X + 0.002, Y)}), (${court(X + 0.002, Y)})))`);
    expect(r.valid_in).toBe(true);
    expect(r).toMatchObject({ type: 'MULTIPOLYGON', holes: 1 });
  });

  it('returns a polygon without specks unchanged', async () => {
    const wkt = `POLYGON((${shell(X, Y)}), (${court(X, Y)}))`;
    const same = (await db.query<{ same: boolean }>(
      `SELECT ST_AsEWKB(without_specks(ST_GeomFromText($1, 4326))) = ST_AsEWKB(ST_GeomFromText($1, 4326)) AS same`, [wkt])).rows[0];
    expect(same.same).toBe(true);
  });

  it('no stored grid holds a hole under a square metre (whatever plans other files applied)', async () => {
    const specks = (await db.query<{ id: number; m2: number }>(
      `SELECT g.id, ST_Area(ST_MakePolygon(ST_InteriorRingN(d.geom, n))::geography) AS m2
         FROM grids g, ST_Dump(g.geom) d, generate_series(1, ST_NumInteriorRings(d.geom)) n
        WHERE ST_Area(ST_MakePolygon(ST_InteriorRingN(d.geom, n))::geography) < 1`)).rows;
    expect(specks).toEqual([]);
  });
});
