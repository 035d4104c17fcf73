// Vector tiles at /tiles/{layer}/{z}/{x}/{y}.mvt through the real app, decoded as a map client
// decodes them: each layer holds exactly the caller's scope (every grid of the city for a leader,
// only their community's for a secretary), the geometry lands where the database has it, streets
// and the synthetic building footprints are public, blocks only for the roles that view grid plans, a tile follows the data (a renamed
// grid, a case filed a moment ago), an empty tile is a 204, and every malformed address a 400.
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { describe, expect, it } from 'vitest';
import { call, withCast } from '../../../test/cases.ts';

const t = withCast('10.94.0');

/** The XYZ tile holding a point at zoom z. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [x, y];
}

/** Every tile at zoom z that meets the box. */
function tilesOver(box: { xmin: number; ymin: number; xmax: number; ymax: number }, z: number): [number, number][] {
  const [x0, y0] = tileOf(box.xmin, box.ymax, z);
  const [x1, y1] = tileOf(box.xmax, box.ymin, z);
  const out: [number, number][] = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([x, y]);
  return out;
}

async function fetchTile(path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, tile: res.status === 200 ? new VectorTile(new Pbf(bytes)) : null, bytes };
}

/** The features of one layer over a set of tiles, as GeoJSON in lon/lat, keyed by id. */
async function featuresOver(layer: string, z: number, tiles: [number, number][], headers: Record<string, string>) {
  const out = new Map<number, GeoJSON.Feature>();
  for (const [x, y] of tiles) {
    const { res, tile } = await fetchTile(`/tiles/${layer}/${z}/${x}/${y}.mvt`, headers);
    expect([200, 204], `${layer} ${z}/${x}/${y}`).toContain(res.status);
    const l = tile?.layers[layer];
    for (let i = 0; l && i < l.length; i++) {
      const f = l.feature(i);
      out.set(Number(f.id), f.toGeoJSON(x, y, z) as GeoJSON.Feature);
    }
  }
  return out;
}

const extent = async (sql: string, p: unknown[] = []) =>
  (await t.db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
    `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom)::geometry AS e FROM ${sql}) q`, p)).rows[0];

describe('GET /tiles/{layer}/{z}/{x}/{y}.mvt', () => {
  it("holds every grid of the city for a leader, and only the secretary's community for her", async () => {
    const city = await extent('grids');
    const z = 12;
    const all = await featuresOver('grids', z, tilesOver(city, z), t.cast.signed.leader.headers);
    expect(all.size).toBe((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM grids')).rows[0].n);
    const own = await featuresOver('grids', z, tilesOver(city, z), t.cast.signed.secretary.headers);
    const { rows } = await t.db.query<{ id: number }>('SELECT id FROM grids WHERE community_id = $1 ORDER BY id', [t.cast.grid.community_id]);
    expect([...own.keys()].sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
    expect([...own.values()].every((f) => f.properties!.community_id === t.cast.grid.community_id)).toBe(true);
    // The grid worker's tiles hold their own grid alone.
    const mine = await featuresOver('grids', z, tilesOver(city, z), t.cast.signed.grid.headers);
    expect([...mine.keys()]).toEqual([t.cast.grid.id]);
  });

  it('puts a grid where the database has it, with its attributes', async () => {
    const box = await extent('grids WHERE id = $1', [t.cast.grid.id]);
    const z = 15;
    const got = await featuresOver('grids', z, tilesOver(box, z), t.cast.signed.leader.headers);
    const f = got.get(t.cast.grid.id)!;
    expect(f.properties).toMatchObject({ code: t.cast.grid.code, community_id: t.cast.grid.community_id });
    expect(f.properties!.households).toBe((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM households WHERE grid_id = $1', [t.cast.grid.id])).rows[0].n);
    // The decoded outline (from one tile, clipped at its buffer) lies within a few metres of the grid's own box.
    const coords = (f.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon).type === 'Polygon'
      ? (f.geometry as GeoJSON.Polygon).coordinates.flat()
      : (f.geometry as GeoJSON.MultiPolygon).coordinates.flat(2);
    const lons = coords.map((c) => c[0]);
    const lats = coords.map((c) => c[1]);
    const slack = 0.0001 + (64 / 4096) * (360 / 2 ** z); // a tile unit is ~1 m at z15; plus the buffer
    expect(Math.min(...lons)).toBeGreaterThanOrEqual(box.xmin - slack);
    expect(Math.max(...lons)).toBeLessThanOrEqual(box.xmax + slack);
    expect(Math.min(...lats)).toBeGreaterThanOrEqual(box.ymin - slack);
    expect(Math.max(...lats)).toBeLessThanOrEqual(box.ymax + slack);
  });

  it('serves the streets to anyone, with their names', async () => {
    const [x, y] = tileOf(t.cast.point.lon, t.cast.point.lat, 13);
    const { res, tile } = await fetchTile(`/tiles/streets/13/${x}/${y}.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const l = tile!.layers.streets;
    expect(l.length).toBeGreaterThan(0);
    const kinds = new Set<string>();
    for (let i = 0; i < l.length; i++) kinds.add(String(l.feature(i).properties.kind));
    expect([...kinds].some((k) => k === 'main' || k === 'street')).toBe(true);
  });

  it('serves synthetic building footprints at street zoom to anyone: polygons, never overlapping, nothing personal', async () => {
    // The core's busiest building: where its households live.
    const { rows: [b] } = await t.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_Collect(geom)) AS c, count(*) AS n
         FROM households GROUP BY grid_id, building ORDER BY n DESC, grid_id, building LIMIT 1) q`);
    const z = 16;
    const [x, y] = tileOf(b.lon, b.lat, z);
    const { res, tile } = await fetchTile(`/tiles/buildings/${z}/${x}/${y}.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/public/);
    const l = tile!.layers.buildings;
    expect(l.length).toBeGreaterThan(0);
    for (let i = 0; i < l.length; i++) {
      expect(l.feature(i).type).toBe(3); // polygon
      expect(l.feature(i).properties).toEqual({ synthetic: true });
    }
    // Below street zoom the layer is empty.
    const [x14, y14] = tileOf(b.lon, b.lat, 14);
    expect((await t.app.request(`/tiles/buildings/14/${x14}/${y14}.mvt`)).status).toBe(204);

    // A 3 × 3 block of tiles around it: no two footprints overlap and none crosses a street
    // (checked by PostGIS), and one lies on the busiest building's point.
    const around: [number, number][] = [];
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) around.push([x + dx, y + dy]);
    const got = await featuresOver('buildings', z, around, {});
    expect(got.size).toBeGreaterThan(l.length);
    const fc = JSON.stringify([...got.entries()].map(([id, f]) => ({ id, geometry: f.geometry })));
    // The streets and river over the same tiles: no footprint crosses one.
    const streets = await featuresOver('streets', z, around, {});
    expect(streets.size).toBeGreaterThan(0);
    const lines = JSON.stringify([...streets.values()].map((f) => f.geometry));
    const { rows: [check] } = await t.db.query<{ overlaps: number; on_point: number; polygons: number; on_streets: number }>(
      `WITH f AS (SELECT (e->>'id')::int AS id, ST_SetSRID(ST_GeomFromGeoJSON(e->'geometry'), 4326) AS g FROM jsonb_array_elements($1::jsonb) e),
            s AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(e), 4326) AS g FROM jsonb_array_elements($4::jsonb) e)
       SELECT (SELECT count(*)::int FROM f a JOIN f b ON a.id < b.id AND ST_Intersects(a.g, b.g)) AS overlaps,
              (SELECT count(*)::int FROM f JOIN s ON ST_Intersects(f.g, s.g)) AS on_streets,
              (SELECT count(*)::int FROM f WHERE ST_DWithin(g, ST_SetSRID(ST_MakePoint($2, $3), 4326), 0.00002)) AS on_point,
              (SELECT count(*)::int FROM f WHERE GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON') AND ST_Area(g::geography) BETWEEN 10 AND 1000) AS polygons`,
      [fc, b.lon, b.lat, lines]);
    expect(check.overlaps).toBe(0);
    expect(check.on_streets).toBe(0);
    expect(check.on_point).toBeGreaterThanOrEqual(1);
    expect(check.polygons).toBeGreaterThan(0);
  });

  it('refuses the scoped layers to anonymous callers and blocks to those who do not plan', async () => {
    const [x, y] = tileOf(t.cast.point.lon, t.cast.point.lat, 13);
    const anon = await t.app.request(`/tiles/grids/13/${x}/${y}.mvt`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(((await anon.json()) as { error: string }).error).toMatch(/登录/);
    const worker = await t.app.request(`/tiles/blocks/13/${x}/${y}.mvt`, { headers: t.cast.signed.grid.headers });
    expect(worker.status).toBe(403);
    expect(((await worker.json()) as { error: string }).error).toMatch(/规划|只有/);
    const planner = await fetchTile(`/tiles/blocks/13/${x}/${y}.mvt`, t.cast.signed.planner.headers);
    expect(planner.res.status).toBe(200);
    expect(planner.tile!.layers.blocks.length).toBeGreaterThan(0);
  });

  it('is a 204 where the caller has nothing, and revalidates with its ETag', async () => {
    expect((await t.app.request('/tiles/grids/10/0/0.mvt', { headers: t.cast.signed.leader.headers })).status).toBe(204);
    const [x, y] = tileOf(t.cast.point.lon, t.cast.point.lat, 12);
    const first = await t.app.request(`/tiles/grids/12/${x}/${y}.mvt`, { headers: t.cast.signed.leader.headers });
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toMatch(/private/);
    const again = await t.app.request(`/tiles/grids/12/${x}/${y}.mvt`, { headers: { ...t.cast.signed.leader.headers, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('follows the data: a renamed grid and a case filed a moment ago are in the next tile', async () => {
    const [x, y] = tileOf(t.cast.point.lon, t.cast.point.lat, 14);
    const path = `/tiles/grids/14/${x}/${y}.mvt`;
    const nameIn = async () => {
      const l = (await fetchTile(path, t.cast.signed.leader.headers)).tile!.layers.grids;
      for (let i = 0; i < l.length; i++) if (Number(l.feature(i).id) === t.cast.grid.id) return l.feature(i).properties.name;
      return undefined;
    };
    const before = await nameIn();
    await t.db.query(`UPDATE grids SET name = name || '（瓦片测试）' WHERE id = $1`, [t.cast.grid.id]);
    try {
      expect(await nameIn()).toBe(`${before}（瓦片测试）`);
    } finally {
      await t.db.query(`UPDATE grids SET name = $2 WHERE id = $1`, [t.cast.grid.id, before]);
    }
    expect(await nameIn()).toBe(before);

    const numbersIn = async () => {
      const l = (await fetchTile(`/tiles/cases/14/${x}/${y}.mvt`, t.cast.signed.secretary.headers)).tile?.layers.cases;
      const out: string[] = [];
      for (let i = 0; l && i < l.length; i++) out.push(String(l.feature(i).properties.number));
      return out;
    };
    await numbersIn(); // cached at the current case version
    const filed = await call(t.app, t.cast.signed.grid, 'POST', '/api/cases', { category: 'garbage', description: '瓦片测试：路边垃圾未清运', ...t.cast.point });
    expect(filed.status).toBe(201);
    expect(await numbersIn()).toContain(filed.body.number);
    // Nothing personal rides along: no address, phone or description.
    const l = (await fetchTile(`/tiles/cases/14/${x}/${y}.mvt`, t.cast.signed.secretary.headers)).tile!.layers.cases;
    for (let i = 0; i < l.length; i++) {
      expect(l.feature(i).properties).not.toHaveProperty('address');
      expect(l.feature(i).properties).not.toHaveProperty('reporter_phone');
      expect(l.feature(i).properties).not.toHaveProperty('description');
    }
  });

  it('answers a malformed tile address with a 400 that says what is wrong, and unknown paths with a 404', async () => {
    const h = t.cast.signed.leader.headers;
    const bad: [string, RegExp][] = [
      ['/tiles/households/12/0/0.mvt', /图层|layer/],
      ['/tiles/grids/21/0/0.mvt', /0 到 20/],
      ['/tiles/grids/-1/0/0.mvt', /0 到 20/],
      ['/tiles/grids/3/8/0.mvt', /2\^z/],
      ['/tiles/grids/3/0/8.mvt', /2\^z/],
      ['/tiles/grids/3/0/1.pbf', /\.mvt/],
      ['/tiles/grids/3/0x1/1.mvt', /非负整数/],
      ['/tiles/grids/03/0/1.mvt', /0 到 20/],
      ['/tiles/grids/3/0/1.5.mvt', /\.mvt|非负整数/],
    ];
    for (const [path, message] of bad) {
      const res = await t.app.request(path, { headers: h });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: string }).error, path).toMatch(message);
    }
    expect((await t.app.request('/tiles/grids/3/0', { headers: h })).status).toBe(404);
    expect((await t.app.request('/tiles/grids/3/0/0.mvt', { method: 'POST', headers: t.cast.signed.leader.write })).status).toBe(404);
  });
});
