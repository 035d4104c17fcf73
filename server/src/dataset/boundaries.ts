// Writes subdistrict, community and grid boundaries, matched by code: rows whose code
// exists are updated in place (so ids, and everything that refers to them, survive a
// re-import), new codes are inserted, and codes no longer present are deleted.
import type pg from 'pg';
import type { ImportedBoundaries } from '@grid-atlas/geodata';

const geojson = (g: unknown) => JSON.stringify(g);

export async function writeBoundaries(client: pg.PoolClient, b: ImportedBoundaries): Promise<void> {
  const sd = b.subdistricts.features;
  await client.query(
    `INSERT INTO subdistricts (code, name, synthetic, geom)
     SELECT code, name, synthetic, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)
       FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[]) AS t (code, name, synthetic, g)
     ON CONFLICT (code) DO UPDATE
       SET name = excluded.name, synthetic = excluded.synthetic, geom = excluded.geom`,
    [sd.map((f) => f.properties.code), sd.map((f) => f.properties.name),
     sd.map((f) => f.properties.synthetic ?? false), sd.map((f) => geojson(f.geometry))],
  );

  const cm = b.communities.features;
  await client.query(
    `INSERT INTO communities (code, name, full_name, subdistrict_id, synthetic, geom)
     SELECT t.code, t.name, t.full_name, s.id, t.synthetic, ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4326)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[])
            AS t (code, name, full_name, parent, synthetic, g)
       JOIN subdistricts s ON s.code = t.parent
     ON CONFLICT (code) DO UPDATE
       SET name = excluded.name, full_name = excluded.full_name, subdistrict_id = excluded.subdistrict_id,
           synthetic = excluded.synthetic, geom = excluded.geom`,
    [cm.map((f) => f.properties.code), cm.map((f) => f.properties.name),
     cm.map((f) => f.properties.full_name ?? f.properties.name), cm.map((f) => f.properties.subdistrict_code),
     cm.map((f) => f.properties.synthetic ?? false), cm.map((f) => geojson(f.geometry))],
  );

  const gr = b.grids.features;
  await client.query(
    `INSERT INTO grids (code, number, name, community_id, synthetic, geom)
     SELECT t.code, t.number, t.name, c.id, t.synthetic, ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4326)
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::boolean[], $6::text[])
            AS t (code, number, name, parent, synthetic, g)
       JOIN communities c ON c.code = t.parent
     ON CONFLICT (code) DO UPDATE
       SET number = excluded.number, name = excluded.name, community_id = excluded.community_id,
           synthetic = excluded.synthetic, geom = excluded.geom`,
    [gr.map((f) => f.properties.code), gr.map((f) => f.properties.number), gr.map((f) => f.properties.name),
     gr.map((f) => f.properties.community_code), gr.map((f) => f.properties.synthetic ?? false),
     gr.map((f) => geojson(f.geometry))],
  );

  // 红色尖刀班: a community the boundaries drop takes its team (and the team's tasks) with it; a
  // task in a dropped grid of a kept community moves to the grid of its community that covers its
  // point, else the nearest one (the reference refuses deleting a grid that still holds a task).
  await client.query(
    `DELETE FROM vanguard_teams t USING communities c WHERE c.id = t.community_id AND NOT (c.code = ANY($1::text[]))`,
    [cm.map((f) => f.properties.code)]);
  await client.query(
    `UPDATE vanguard_tasks k
        SET grid_id = (SELECT g.id FROM grids g WHERE g.community_id = t.community_id AND g.code = ANY($1::text[])
                        ORDER BY ST_Intersects(g.geom, k.geom) DESC, ST_Distance(g.geom, k.geom), g.id LIMIT 1)
       FROM vanguard_teams t, grids old
      WHERE t.id = k.team_id AND old.id = k.grid_id
        AND (NOT (old.code = ANY($1::text[])) OR old.community_id <> t.community_id OR NOT ST_Intersects(old.geom, k.geom))`,
    [gr.map((f) => f.properties.code)]);
  await client.query(`DELETE FROM grids WHERE NOT (code = ANY($1::text[]))`, [gr.map((f) => f.properties.code)]);
  await client.query(`DELETE FROM area_branches b WHERE NOT EXISTS (SELECT 1 FROM communities c WHERE c.id = b.community_id AND c.code = ANY($1::text[]))`,
    [cm.map((f) => f.properties.code)]);
  await client.query(`DELETE FROM communities WHERE NOT (code = ANY($1::text[]))`, [cm.map((f) => f.properties.code)]);
  await client.query(`DELETE FROM subdistricts WHERE NOT (code = ANY($1::text[]))`, [sd.map((f) => f.properties.code)]);
}

/**
 * Each community's layout as a fingerprint: its outline and every grid's code and outline. Read
 * before and after an import, it names the communities whose layout changed; the others keep
 * their grids exactly, so their households, cadres and blocks stay as they are.
 */
export async function layoutFingerprints(client: pg.PoolClient): Promise<Map<string, string>> {
  const { rows } = await client.query<{ code: string; fp: string }>(
    `SELECT c.code, md5(ST_AsEWKB(c.geom)::text || ':' ||
              coalesce((SELECT string_agg(g.code || '=' || md5(ST_AsEWKB(g.geom)::text), ',' ORDER BY g.code)
                          FROM grids g WHERE g.community_id = c.id), '')) AS fp
       FROM communities c`);
  return new Map(rows.map((r) => [r.code, r.fp]));
}

/**
 * Puts every household (and every cadre's home) into the grid that contains its point, except
 * those in `keptCommunities` (communities whose grids an import left exactly as they were: nothing
 * of theirs can change grid, and the point-in-polygon test of 95k homes is most of the cost).
 * Only rows whose grid changes are written: on PGlite a full UPDATE of 95k rows costs
 * seconds, the IS DISTINCT FROM form a few hundred milliseconds (measured on the 95k-household seed).
 * Returns how many households changed grid and how many lie outside every grid.
 */
export async function reassignHouseholds(client: pg.PoolClient, keptCommunities: string[] = []): Promise<{ changed: number; outside: number }> {
  const { rowCount } = await client.query(
    `WITH kept AS (
       SELECT g.id FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.code = ANY($1::text[])
     ), target AS (
       SELECT h.id, (SELECT g.id FROM grids g WHERE ST_Intersects(g.geom, h.geom) ORDER BY g.id LIMIT 1) AS grid_id
         FROM households h
        WHERE h.grid_id IS NULL OR h.grid_id NOT IN (SELECT id FROM kept)
     )
     UPDATE households h SET grid_id = t.grid_id
       FROM target t
      WHERE t.id = h.id AND h.grid_id IS DISTINCT FROM t.grid_id`, [keptCommunities],
  );
  await client.query(
    `WITH kept AS (
       SELECT g.id FROM grids g JOIN communities c ON c.id = g.community_id WHERE c.code = ANY($1::text[])
     ), target AS (
       SELECT c.id, (SELECT g.id FROM grids g WHERE ST_Intersects(g.geom, c.geom) ORDER BY g.id LIMIT 1) AS grid_id
         FROM cadres c
        WHERE c.kind <> 'grid_worker' AND (c.grid_id IS NULL OR c.grid_id NOT IN (SELECT id FROM kept))
     )
     UPDATE cadres c SET grid_id = t.grid_id
       FROM target t
      WHERE t.id = c.id AND c.grid_id IS DISTINCT FROM t.grid_id`, [keptCommunities],
  );
  const { rows } = await client.query<{ n: number }>('SELECT count(*) AS n FROM households WHERE grid_id IS NULL');
  return { changed: rowCount ?? 0, outside: rows[0].n };
}

/**
 * Derives the blocks of every community, or of every community except `keptCommunities` (whose
 * blocks still tile their unchanged grids, and may carry a planner's cuts), from its grids and
 * household points (derive_blocks() in sql/migrations/0006_blocks_plans.sql: Voronoi cells of the
 * buildings, clipped to each grid) and puts each household into its block. Returns how many
 * blocks the city has then. (PGlite mishandles parameters only inside ST_* aggregates, see
 * coverage.ts; the community list here is a parameter of a plain WHERE.)
 */
export async function deriveAllBlocks(client: pg.PoolClient, keptCommunities: string[] = []): Promise<number> {
  await client.query(
    `SELECT derive_blocks(id) FROM (SELECT id FROM communities WHERE NOT (code = ANY($1::text[])) ORDER BY id) c`,
    [keptCommunities]);
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM blocks');
  return rows[0].n;
}
