// Seeds an empty database with the synthetic Enshi dataset: the committed boundaries
// (geodata/data/enshi) and the population generated from them, deterministically.
import type pg from 'pg';
import { deriveBlocks, generatePopulation, loadScaledBoundaries, scaleFromEnv, type Boundaries, type DerivedBlocks, type Population } from '@grid-atlas/geodata';
import type { Db } from '../db/index.ts';
import { analyzeTables } from '../db/statistics.ts';
import { writeBoundaries } from './boundaries.ts';

const BATCH = 10_000;

/** Called with each seeding step's name and milliseconds (the start log's step lines). */
export type OnStep = (name: string, ms: number) => void;

/**
 * The dataset in memory: the committed boundaries, the population generated from them and the
 * blocks derived from both (in JavaScript, by the rule of derive_blocks() in SQL, which a
 * boundary import still runs: PostGIS in WebAssembly took ~11 s for them on a fresh database).
 */
export interface GeneratedDataset {
  /** Copies of the urban core (GRID_ATLAS_SCALE; 1: the committed dataset as it is). */
  scale: number;
  boundaries: Boundaries;
  population: Population;
  blocks: DerivedBlocks;
}

/**
 * Loads the boundaries, generates the population and derives the blocks (seconds of JavaScript,
 * no database). `scale` (GRID_ATLAS_SCALE by default): the urban core and scale − 1 synthetic
 * towns, with the population's totals times the scale.
 */
export function generateDataset(scale = scaleFromEnv()): GeneratedDataset {
  const boundaries = loadScaledBoundaries(scale);
  const population = generatePopulation(boundaries, scale);
  return { scale, boundaries, population, blocks: deriveBlocks(boundaries.grids, population.households) };
}

/**
 * Seeds when the database holds no subdistricts; returns whether it did. `generated`: the
 * dataset already generated (main.ts does so while the embedded database opens); without it,
 * it is generated here.
 */
export async function seedIfEmpty(db: Db, onProgress: (message: string) => void = () => {}, onStep: OnStep = () => {}, generated?: GeneratedDataset): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM subdistricts');
  if (rows[0].n > 0) return false;
  const timed = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      onStep(`seed: ${name}`, performance.now() - t0);
    }
  };
  const scale = generated?.scale ?? scaleFromEnv();
  onProgress(`正在生成恩施市合成数据集（边界、住户、党员干部）${scale > 1 ? `，规模 ×${scale}（${scale - 1} 个合成镇）` : ''}…`);
  const boundaries = generated?.boundaries ?? await timed('load boundaries', () => loadScaledBoundaries(scale));
  const population = generated?.population ?? await timed('generate population', () => generatePopulation(boundaries, scale));
  const blocks = generated?.blocks ?? await timed('derive blocks', () => deriveBlocks(boundaries.grids, population.households));
  await db.withTransaction(async (client) => {
    // A second process seeding at the same moment waits here, then finds the data.
    await client.query('LOCK TABLE subdistricts IN EXCLUSIVE MODE');
    const again = await client.query<{ n: number }>('SELECT count(*) AS n FROM subdistricts');
    if (again.rows[0].n > 0) return;
    onProgress(`写入边界：${boundaries.subdistricts.features.length} 个街道、${boundaries.communities.features.length} 个社区、${boundaries.grids.features.length} 个网格`);
    await timed('geography', () => writeBoundaries(client, boundaries));
    onProgress(`写入街区（网格调整的最小单元）：${blocks.blocks.length} 个`);
    const blockIds = await timed('blocks', () => writeBlocks(client, blocks));
    // A bulk load into empty tables, as pg_restore --disable-triggers does it: where we may (the
    // embedded database, or a superuser on a real server), the population is written with
    // triggers off, so no foreign key is looked up row by row and the links' in-service flag
    // trigger does not look again at every household (the flags are written with the households,
    // and every reference comes from the generator's own codes, checked by the dataset tests).
    // SET LOCAL ends with the transaction; it is switched back before anything else is written.
    // Measured on the embedded database: households, cadres and links together about a third faster.
    const bulk = (await client.query<{ on: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS on`)).rows[0].on;
    if (bulk) await client.query('SET LOCAL session_replication_role = replica');
    await writePopulation(client, population, blockIds, onProgress, timed);
    if (bulk) {
      await client.query('SET LOCAL session_replication_role = origin');
      // what the statement triggers skipped would have done: the data changed
      await client.query('UPDATE data_version SET version = version + 1, changed_at = now()');
    }
    await client.query(
      `INSERT INTO dataset_info (key, value) VALUES ('name', 'enshi-synthetic'), ('synthetic', 'true')
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    // a scaled dataset says so (scale 1 writes what it always wrote)
    if (scale > 1) {
      await client.query(
        `INSERT INTO dataset_info (key, value) VALUES ('scale', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(scale)],
      );
    }
    // 社区工作者队伍: twelve synthetic workers per community, built in SQL (migrations 0026–0027),
    // for the synthetic dataset only (it reads the name just written).
    await timed('community workers', () => client.query('SELECT seed_community_workers()'));
    // 红色尖刀班: a synthetic team per community, drawn from its sunk cadres and the workers just
    // written (migration 0030), for the synthetic dataset only.
    await timed('vanguard teams', () => client.query('SELECT seed_vanguard_teams()'));
    // 五社联动: the registry of social organisations (migration 0031), for the synthetic dataset only.
    await timed('social organisations', () => client.query('SELECT seed_social_organisations()'));
    // 双定三联's third link: synthetic businesses near the members' homes, each in-service member
    // linked to the 1–3 nearest (migration 0034), for the synthetic dataset only.
    await timed('businesses', () => client.query('SELECT seed_businesses()'));
  });
  onProgress('收集查询统计信息 (ANALYZE)…');
  await timed('statistics (ANALYZE)', () => analyzeTables(db));
  return true;
}

type Timed = <T>(name: string, fn: () => Promise<T> | T) => Promise<T>;

/** Writes the derived blocks; returns each household's block id, by the household's index. */
async function writeBlocks(client: pg.PoolClient, d: DerivedBlocks): Promise<Int32Array> {
  const { rows } = await client.query<{ id: number; code: string }>(
    `INSERT INTO blocks (code, community_id, grid_id, geom)
     SELECT t.code, g.community_id, g.id, ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4326)
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t (code, grid, g, ord)
       JOIN grids g ON g.code = t.grid
      ORDER BY t.ord
     RETURNING id, code`,
    [d.blocks.map((b) => b.code), d.blocks.map((b) => b.grid_code), d.blocks.map((b) => JSON.stringify(b.geometry))],
  );
  if (rows.length !== d.blocks.length) throw new Error(`wrote ${rows.length} of ${d.blocks.length} blocks (a block names an unknown grid)`);
  const idOf = new Map(rows.map((r) => [r.code, r.id]));
  const byIndex = Int32Array.from(d.blocks, (b) => idOf.get(b.code)!);
  return Int32Array.from(d.blockOfHousehold, (i) => (i < 0 ? 0 : byIndex[i]));
}

async function writePopulation(client: pg.PoolClient, p: Population, blockIds: Int32Array, onProgress: (m: string) => void, timed: Timed) {
  await timed('departments and branches', () => writeUnits(client, p));
  await timed('households', () => writeHouseholds(client, p, blockIds, onProgress));
  await timed('cadres', () => writeCadres(client, p, onProgress));
  await timed('links', () => writeLinks(client, p, onProgress));
}

async function writeUnits(client: pg.PoolClient, p: Population) {
  for (const d of p.departments) {
    const { rows } = await client.query<{ id: number }>(
      'INSERT INTO departments (code, name) VALUES ($1, $2) RETURNING id', [d.code, d.name]);
    await client.query(
      `INSERT INTO department_resources (department_id, name, description)
       SELECT $1, name, description FROM unnest($2::text[], $3::text[]) AS t (name, description)`,
      [rows[0].id, d.resources.map((r) => r.name), d.resources.map((r) => r.description)],
    );
  }
  // Each unit's resources serve the case categories the unit is the default handler of; its
  // staff refine the list (routes/resources.ts).
  await client.query(
    `UPDATE department_resources r
        SET categories = ARRAY(SELECT c.code FROM case_categories c WHERE c.default_department_code = d.code ORDER BY c.sort)
       FROM departments d WHERE d.id = r.department_id`);

  await client.query(
    `INSERT INTO area_branches (code, name, community_id)
     SELECT t.code, t.name, c.id FROM unnest($1::text[], $2::text[], $3::text[]) AS t (code, name, community)
     JOIN communities c ON c.code = t.community`,
    [p.branches.map((b) => b.code), p.branches.map((b) => b.name), p.branches.map((b) => b.community_code)],
  );
  const branchGrids = p.branches.flatMap((b) => b.grid_codes.map((g) => [b.code, g] as const));
  await client.query(
    `INSERT INTO area_branch_grids (branch_id, grid_id)
     SELECT b.id, g.id FROM unnest($1::text[], $2::text[]) AS t (branch, grid)
     JOIN area_branches b ON b.code = t.branch JOIN grids g ON g.code = t.grid`,
    [branchGrids.map((x) => x[0]), branchGrids.map((x) => x[1])],
  );
}

async function writeHouseholds(client: pg.PoolClient, p: Population, blockIds: Int32Array, onProgress: (m: string) => void) {
  const hh = p.households;
  // Written with each household, so the links inserted below find every flag already right
  // (a trigger keeps households.in_service_linked; it writes only flags that differ).
  const inServiceLinked = new Set(p.links.filter((l) => l.kind !== 'branch').map((l) => l.household_id));
  for (let start = 0; start < hh.length; start += BATCH) {
    const part = hh.slice(start, start + BATCH);
    onProgress(`载入住户 ${Math.min(start + BATCH, hh.length).toLocaleString('en-US')} / ${hh.length.toLocaleString('en-US')}…`);
    await client.query(
      `INSERT INTO households (id, grid_id, block_id, geom, building, address, size, in_difficulty, head_name, phone, in_service_linked)
       SELECT t.id, g.id, nullif(t.block, 0), ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), t.building, t.address, t.size,
              t.in_difficulty, t.head_name, t.phone, t.linked
         FROM unnest($1::int[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::int[],
                     $8::boolean[], $9::text[], $10::text[], $11::boolean[], $12::int[])
              AS t (id, grid, lon, lat, building, address, size, in_difficulty, head_name, phone, linked, block)
         JOIN grids g ON g.code = t.grid`,
      [part.map((h) => h.id), part.map((h) => h.grid_code), part.map((h) => h.lon), part.map((h) => h.lat),
       part.map((h) => h.building), part.map((h) => h.address), part.map((h) => h.size),
       part.map((h) => h.in_difficulty), part.map((h) => h.head_name), part.map((h) => h.phone),
       part.map((h) => inServiceLinked.has(h.id)), Array.from(blockIds.subarray(start, start + BATCH))],
    );
  }

}

async function writeCadres(client: pg.PoolClient, p: Population, onProgress: (m: string) => void) {
  const cd = p.cadres;
  onProgress(`载入党员干部 ${cd.length.toLocaleString('en-US')} 名…`);
  for (let start = 0; start < cd.length; start += BATCH) {
    const part = cd.slice(start, start + BATCH);
    await client.query(
      `INSERT INTO cadres (id, kind, name, phone, work_unit, geom, grid_id, branch_id)
       SELECT t.id, t.kind, t.name, t.phone, t.work_unit, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), g.id, b.id
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[],
                     $8::text[], $9::text[])
              AS t (id, kind, name, phone, work_unit, lon, lat, grid, branch)
         LEFT JOIN grids g ON g.code = t.grid
         LEFT JOIN area_branches b ON b.code = t.branch`,
      [part.map((c) => c.id), part.map((c) => c.kind), part.map((c) => c.name), part.map((c) => c.phone),
       part.map((c) => c.work_unit), part.map((c) => c.lon), part.map((c) => c.lat),
       part.map((c) => c.grid_code), part.map((c) => c.branch_code)],
    );
  }

}

async function writeLinks(client: pg.PoolClient, p: Population, onProgress: (m: string) => void) {
  const links = p.links;
  onProgress(`载入联系关系 ${links.length.toLocaleString('en-US')} 条…`);
  for (let start = 0; start < links.length; start += BATCH * 3) {
    const part = links.slice(start, start + BATCH * 3);
    await client.query(
      `INSERT INTO cadre_household_links (cadre_id, household_id, kind)
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[])`,
      [part.map((l) => l.cadre_id), part.map((l) => l.household_id), part.map((l) => l.kind)],
    );
  }
}
