import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { union, featureCollection } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { loadEnshiBoundaries, type Boundaries } from '@grid-atlas/geodata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, testDbEnv } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../config.ts';
import type { Db } from '../db/index.ts';
import { importBoundaries, ImportError } from './import.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

/** Runs fn in a transaction that is always rolled back, so the shared test data stays intact. */
async function inRolledBackTransaction<T>(fn: (client: import('pg').PoolClient) => Promise<T>): Promise<T> {
  return db.withClient(async (client) => {
    await client.query('BEGIN');
    try {
      return await fn(client);
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

const clone = (b: Boundaries): Boundaries => structuredClone(b);

/** Runs `pnpm import` (server/src/cli/import.ts) on the test run's database. */
function runCli(args: string[]) {
  return promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'server/src/cli/import.ts', ...args], {
    cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: '', GRID_ATLAS_EMBEDDED_URL: '', ...testDbEnv() }, maxBuffer: 16 << 20,
  });
}

/** Everything an import writes, summarised: boundaries, household assignment, counters, audit. */
async function fingerprint() {
  const { rows } = await db.query(
    `SELECT (SELECT version FROM data_version) AS version,
            (SELECT md5(string_agg(code || name || ST_AsText(geom), ',' ORDER BY code)) FROM subdistricts) AS subdistricts,
            (SELECT md5(string_agg(code || name || ST_AsText(geom), ',' ORDER BY code)) FROM communities) AS communities,
            (SELECT md5(string_agg(code || name || ST_AsText(geom), ',' ORDER BY code)) FROM grids) AS grids,
            (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM households) AS households,
            (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM cadres) AS cadres,
            (SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM dataset_info) AS dataset,
            (SELECT count(*) FROM audit_log) AS audits`);
  return rows[0];
}

/** Two grids of one community that share an edge, merged into the first. */
function mergeTwoNeighbours(b: Boundaries) {
  const grids = b.grids.features;
  for (let i = 0; i < grids.length; i++) {
    for (let j = i + 1; j < grids.length; j++) {
      const a = grids[i], c = grids[j];
      if (a.properties.community_code !== c.properties.community_code) continue;
      const merged = union(featureCollection([a, c]));
      if (merged?.geometry.type === 'Polygon') {
        a.geometry = merged.geometry;
        grids.splice(j, 1);
        return { kept: a.properties.code, removed: c.properties.code };
      }
    }
  }
  throw new Error('no two neighbouring grids found');
}

/** Two grids of one community that do not touch, as one MultiPolygon unit under the first's code. */
function joinTwoApart(b: Boundaries) {
  const grids = b.grids.features as Boundaries<Polygon | MultiPolygon>['grids']['features'];
  for (let i = 0; i < grids.length; i++) {
    for (let j = i + 1; j < grids.length; j++) {
      const a = grids[i], c = grids[j];
      if (a.properties.community_code !== c.properties.community_code || a.properties.number === 1 || c.properties.number === 1) continue;
      const joined = union(featureCollection([a as Feature<Polygon>, c as Feature<Polygon>]));
      if (joined?.geometry.type === 'MultiPolygon') {
        a.geometry = joined.geometry;
        grids.splice(j, 1);
        return { kept: a.properties.code, removed: c.properties.code };
      }
    }
  }
  throw new Error('no two separate grids found');
}

describe('importing a city’s own boundaries', () => {
  it('imports a unit that really is several parts as a MultiPolygon', async () => {
    const b = clone(loadEnshiBoundaries());
    const { kept, removed } = joinTwoApart(b);
    await inRolledBackTransaction(async (client) => {
      const result = await importBoundaries(client, b, 'cli:test');
      expect(result).toMatchObject({ grids: 358, householdsOutside: 0 });
      const { rows } = await client.query(
        `SELECT GeometryType(geom) AS type, ST_NumGeometries(geom) AS parts FROM grids WHERE code = $1`, [kept]);
      expect(rows[0]).toEqual({ type: 'MULTIPOLYGON', parts: 2 });
      expect((await client.query('SELECT 1 FROM grids WHERE code = $1', [removed])).rowCount).toBe(0);
    });
  });

  it('lists the accounts of a unit the import would remove, instead of a foreign-key error', async () => {
    const b = clone(loadEnshiBoundaries());
    // grid-422801001001001 is a demo account on the first grid of 官坡社区: drop that grid.
    const first = b.grids.features.findIndex((f) => f.properties.code === '422801001001001');
    b.grids.features.splice(first, 1);
    const err = await inRolledBackTransaction((client) => importBoundaries(client, b, 'cli:test')).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toContain('422801001001001');
    expect(err.problems[0]).toContain('grid-422801001001001');
    expect(err.message).not.toMatch(/foreign key/i);
  });

  it('merges two grids and moves their households into the merged grid', async () => {
    const b = clone(loadEnshiBoundaries());
    const { kept, removed } = mergeTwoNeighbours(b);
    const before = (await db.query<{ n: number }>(
      `SELECT count(*) AS n FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.code = $1`, [removed])).rows[0].n;
    expect(before).toBeGreaterThan(0);

    const mergedCommunity = b.grids.features.find((f) => f.properties.code === kept)!.properties.community_code;
    // Blocks of a community, as ids, outlines and the households in them.
    const blocksOf = async (client: import('pg').PoolClient, community: string) => (await client.query(
      `SELECT md5(string_agg(b.id || ':' || b.grid_id || ':' || ST_AsText(b.geom) || ':' ||
                             (SELECT coalesce(string_agg(h.id::text, ',' ORDER BY h.id), '') FROM households h WHERE h.block_id = b.id),
                             ';' ORDER BY b.id)) AS fp
         FROM blocks b JOIN communities c ON c.id = b.community_id WHERE c.code = $1`, [community])).rows[0].fp as string;

    await inRolledBackTransaction(async (client) => {
      // A community the import leaves as it is (the database's grids equal the dataset's there).
      // Other test files may have redrawn grids of the shared database: compare them with the file.
      const grids = b.grids.features.filter((f) => f.properties.community_code !== mergedCommunity);
      const untouched = (await client.query(
        `WITH file AS (
           SELECT t.code, t.community, ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4326)) AS wkb
             FROM unnest($1::text[], $2::text[], $3::text[]) AS t (code, community, g)
         )
         SELECT c.code FROM communities c
          WHERE c.code = ANY($2::text[])
            AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.community_id = c.id
                             AND NOT EXISTS (SELECT 1 FROM file f WHERE f.code = g.code AND f.wkb = ST_AsEWKB(g.geom)))
            AND (SELECT count(*) FROM grids g WHERE g.community_id = c.id) = (SELECT count(*) FROM file f WHERE f.community = c.code)
          ORDER BY c.code LIMIT 1`,
        [grids.map((f) => f.properties.code), grids.map((f) => f.properties.community_code), grids.map((f) => JSON.stringify(f.geometry))],
      )).rows[0]?.code as string | undefined;
      expect(untouched).toBeDefined();
      const untouchedBlocks = await blocksOf(client, untouched!);
      const mergedBlocks = await blocksOf(client, mergedCommunity);
      const result = await importBoundaries(client, b, 'cli:test');
      expect(result).toMatchObject({ subdistricts: 5, communities: 33, grids: 358, householdsOutside: 0 });
      // The merged community's blocks are derived again and follow its grids; a community whose
      // grids came back exactly as they were keeps its blocks and their households.
      expect(await blocksOf(client, mergedCommunity)).not.toBe(mergedBlocks);
      expect(await blocksOf(client, untouched!)).toBe(untouchedBlocks);
      expect((await client.query(
        `SELECT count(*)::int AS n FROM households h LEFT JOIN blocks bl ON bl.id = h.block_id
          WHERE bl.id IS NULL OR bl.grid_id <> h.grid_id`)).rows[0].n).toBe(0);
      expect(result.blocks).toBe((await client.query('SELECT count(*)::int AS n FROM blocks')).rows[0].n);
      // At least the removed grid's households change grid; other test files may have redrawn a
      // grid line of the shared database, whose households the dataset's boundaries move back.
      expect(result.householdsChanged).toBeGreaterThanOrEqual(before);
      // Independently: every household lies in the grid it now belongs to.
      expect((await client.query(
        `SELECT count(*)::int AS n FROM households h JOIN grids g ON g.id = h.grid_id WHERE NOT ST_Intersects(g.geom, h.geom)`)).rows[0].n).toBe(0);
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM grids) AS grids,
                (SELECT count(*) FROM households h JOIN grids g ON g.id = h.grid_id WHERE g.code = $1) AS merged,
                (SELECT count(*) FROM households WHERE grid_id IS NULL) AS unassigned`, [kept]);
      expect(rows[0].grids).toBe(358);
      expect(rows[0].unassigned).toBe(0);
      expect(rows[0].merged).toBeGreaterThanOrEqual(before);
      const a = (await client.query(`SELECT actor, before, after FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1`)).rows[0];
      expect(a).toMatchObject({ actor: 'cli:test', before: { grids: 359 }, after: { grids: 358 } });
    });
    expect((await db.query('SELECT count(*) AS n FROM grids')).rows[0].n).toBe(359);
  });

  it('rejects overlapping grids with a message that names them, and rolls back its own writes', async () => {
    // Through the CLI as an operator runs it, in its own process and transaction: no test
    // transaction around it, so only the import's own rollback can leave the data as it was.
    // The overlap is found after the new boundaries were written (checkCoverage), so there is
    // something to roll back.
    const b = clone(loadEnshiBoundaries());
    const g = b.grids.features[0];
    g.geometry.coordinates = g.geometry.coordinates.map((ring) => ring.map(([x, y]) => [x + 0.0004, y]));
    b.grids.features[1].properties.name = '改名后的网格'; // a write that must not survive either
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-import-'));
    for (const level of ['subdistricts', 'communities', 'grids'] as const) {
      fs.writeFileSync(path.join(dir, `${level}.geojson`), JSON.stringify(b[level]));
    }
    const before = await fingerprint();
    const err = await runCli([dir]).catch((e) => e);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(err.code).toBe(1);
    expect(err.stderr).toContain(g.properties.code);
    expect(err.stderr).toMatch(/overlap/);
    expect(await fingerprint()).toEqual(before);
  });

  it('rejects structurally broken input before touching the database', async () => {
    const b = clone(loadEnshiBoundaries()) as any;
    b.grids.features[3].properties.community_code = '422801001099';
    delete b.subdistricts.features[0].properties.name;
    const err = await inRolledBackTransaction((client) => importBoundaries(client, b, 'cli:test')).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.problems.length).toBeGreaterThanOrEqual(2);
    expect(err.message).toContain('422801001099');
  });

  it('the CLI explains a missing file and exits non-zero', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grid-atlas-import-'));
    const err = await runCli([dir]).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('subdistricts.geojson');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
