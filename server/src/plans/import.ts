// Grid polygons back as a draft plan: from GeoJSON (POST /api/plans/import) or a file read and
// reprojected to WGS84 (POST /api/plans/import-file). Each block goes to the imported polygon it
// overlaps most; invalid geometry, a polygon outside the community, overlaps and gaps are 400s
// naming the feature. A dry run of a file reports what the draft would change and rolls it back.
import type pg from 'pg';
import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { importFeature, type ImportFileInfo, type ImportFileReport, type ImportProblem, type importPlanBody, type PlanError, type PlanSummary } from '@grid-atlas/contract';
import { polygonProblems } from '@grid-atlas/geodata';
import type { Db } from '../db/index.ts';
import { badRequest, describeZodError } from '../http/errors.ts';
import type { RawFeature } from '../geofile/read.ts';
import type { Actor } from './apply.ts';
import { createDraft, type Assignment } from './drafts.ts';
import { TOLERANCE_M2, usePlan } from './validate.ts';
import { DETAIL_GRIDS, loadSummary, SUMMARY } from './views.ts';
import { difference, intersection, unionAgg } from '../db/overlay.ts';

export class ImportInvalid extends HTTPException {
  constructor(readonly errors: PlanError[], message = `导入的网格有 ${errors.length} 个问题 (the imported grids have ${errors.length} problem(s))`) {
    super(400, { message });
  }
}

/** The import's message for invalid geometry: the first problem (it names its feature), and how many more. */
const invalidGeometry = (errors: PlanError[]) =>
  errors[0].message + (errors.length > 1 ? `；另有 ${errors.length - 1} 处 (and ${errors.length - 1} more)` : '');

/** Imported polygons → block assignments by largest overlap; every problem found is a 400. */
export async function importAssignments(client: pg.ClientBase, communityId: number, body: z.infer<typeof importPlanBody>): Promise<Assignment[]> {
  const f = body.geojson.features;
  // rings PostGIS cannot judge (unclosed, too short): named here, before the database
  const broken = f.flatMap((x, i) => polygonProblems(x.geometry).map((p): PlanError => ({
    code: 'invalid_geometry', grid: x.properties.number,
    message: `第 ${i + 1} 个要素（第${x.properties.number}网格）几何无效 (invalid geometry in feature ${i + 1}, grid ${x.properties.number}: ${p.message})`,
    geometry: { type: 'Point', coordinates: [p.at[0], p.at[1]] },
  })));
  if (broken.length) {
    throw new ImportInvalid(broken, invalidGeometry(broken));
  }
  const grids = (await client.query<{ id: number }>('SELECT id FROM grids WHERE community_id = $1', [communityId])).rows;
  const own = new Set(grids.map((g) => g.id));
  const unknown = f.map((x) => x.properties.grid_id).filter((g): g is number => g != null && !own.has(g));
  if (unknown.length) throw badRequest(`网格不存在或不属于本社区 (unknown grids, or grids of another community): ${unknown.join(', ')}`);
  await client.query(`SELECT set_config('grid_atlas.community', $1, true), set_config('jit', 'off', true)`, [String(communityId)]);
  await client.query(`CREATE TEMP TABLE plan_import (k int PRIMARY KEY, grid_id int, number int NOT NULL, geom geometry NOT NULL) ON COMMIT DROP`);
  try {
    await client.query('SAVEPOINT geojson');
    await client.query(
      `INSERT INTO plan_import SELECT k, grid_id, number, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)
         FROM unnest($1::int[], $2::int[], $3::int[], $4::text[]) AS t (k, grid_id, number, g)`,
      [f.map((_, i) => i), f.map((x) => x.properties.grid_id ?? null), f.map((x) => x.properties.number), f.map((x) => JSON.stringify(x.geometry))]);
    await client.query('RELEASE SAVEPOINT geojson');
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT geojson');
    throw badRequest(`几何无法读取 (the geometry cannot be read): ${(err as Error).message}`);
  }
  const COMMUNITY = `(SELECT current_setting('grid_atlas.community')::int)`;
  const errors: PlanError[] = [];
  const q = async (sql: string) => (await client.query(sql)).rows;
  for (const r of await q(`SELECT k, number, ST_IsValidReason(geom) AS reason, ST_AsGeoJSON(coalesce((ST_IsValidDetail(geom)).location, geom), 7)::json AS geometry
                             FROM plan_import WHERE NOT ST_IsValid(geom) ORDER BY k`)) {
    errors.push({ code: 'invalid_geometry', grid: r.number, message: `第 ${r.k + 1} 个要素（第${r.number}网格）几何无效 (invalid geometry in feature ${r.k + 1}, grid ${r.number}: ${r.reason})`, geometry: r.geometry });
  }
  if (errors.length) throw new ImportInvalid(errors, invalidGeometry(errors));
  for (const r of await q(`SELECT i.number, round(ST_Area(d.geom::geography)::numeric, 1) AS m2, ST_AsGeoJSON(d.geom, 7)::json AS geometry
                             FROM plan_import i CROSS JOIN communities c CROSS JOIN LATERAL (SELECT ${difference('i.geom', 'c.geom')} AS geom) d
                            WHERE c.id = ${COMMUNITY} AND ST_Area(d.geom::geography) > ${TOLERANCE_M2} ORDER BY i.k`)) {
    errors.push({ code: 'outside', grid: r.number, message: `第${r.number}网格超出社区 ${r.m2} m² (grid ${r.number} extends outside the community)`, geometry: r.geometry });
  }
  for (const r of await q(`SELECT a.number AS a, b.number AS b, round(ST_Area(x.geom::geography)::numeric, 1) AS m2, ST_AsGeoJSON(x.geom, 7)::json AS geometry
                             FROM plan_import a JOIN plan_import b ON a.k < b.k AND ST_Intersects(a.geom, b.geom)
                             CROSS JOIN LATERAL (SELECT ${intersection('a.geom', 'b.geom')} AS geom) x
                            WHERE ST_Area(x.geom::geography) > ${TOLERANCE_M2} ORDER BY a.k, b.k`)) {
    errors.push({ code: 'overlap', grid: r.a, message: `第${r.a}网格与第${r.b}网格重叠 ${r.m2} m² (grids ${r.a} and ${r.b} overlap)`, geometry: r.geometry });
  }
  // each block to the imported polygon it overlaps most (one row per block, from a per-block
  // lookup, so a block in no polygon still has its row); counted against the blocks, as a guard
  // against a query cut short
  const best = await q(`SELECT b.id AS block, m.grid_id, m.number, coalesce(m.m2, 0) AS m2
                          FROM blocks b LEFT JOIN LATERAL (
                                 SELECT i.grid_id, i.number, ST_Area(${intersection('b.geom', 'i.geom')}::geography) AS m2
                                   FROM plan_import i WHERE ST_Intersects(b.geom, i.geom)
                                  ORDER BY 3 DESC, i.k LIMIT 1) m ON true
                         WHERE b.community_id = ${COMMUNITY} ORDER BY b.id`);
  const blocks = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM blocks WHERE community_id = $1', [communityId])).rows[0].n;
  if (best.length !== blocks) throw new Error(`plan import: ${best.length} block matches for ${blocks} blocks of community ${communityId}`);
  const lost = best.filter((r) => r.number == null || r.m2 <= TOLERANCE_M2).map((r) => Number(r.block));
  if (lost.length) {
    // ids read from the database, inlined: an ST_Union aggregate must not take bind parameters on
    // the embedded database (see plans/validate.ts)
    const g = (await client.query(`SELECT ST_AsGeoJSON(${unionAgg('geom')}, 7)::json AS g FROM blocks WHERE id IN (${lost.join(',')})`)).rows[0].g;
    errors.push({ code: 'gap', message: `有 ${lost.length} 个街区不在任何导入的网格内 (${lost.length} block(s) lie in no imported grid)`, geometry: g });
  }
  if (errors.length) throw new ImportInvalid(errors);
  return best.map((r) => ({ block: r.block, grid_id: r.grid_id ?? null, new_number: r.grid_id == null ? r.number : null }));
}

// Attribute names (lower case) a file may give a grid's number and existing id under: ours as
// /geojson writes them, and the Chinese names planners' tables use.
const NUMBER_KEYS = ['number', '编号', '网格编号', '网格号', 'grid_no', 'gridno'];
const GRID_ID_KEYS = ['grid_id', 'gridid', '网格id'];

const pick = (props: Record<string, unknown>, keys: string[]) => {
  for (const [k, v] of Object.entries(props)) if (keys.includes(k.trim().toLowerCase())) return v;
  return undefined;
};
const asInt = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\s*[0-9]+(\.0*)?\s*$/.test(v)) return Number(v);
  return null;
};

/**
 * The features of a file as the import's GeoJSON features ({ grid_id, number } and a polygon),
 * or the problems, each naming its feature (第 N 个要素) and grid where it has one.
 */
export function planFeatures(raw: RawFeature[]): { features: z.infer<typeof importFeature>[]; errors: ImportProblem[] } {
  const features: z.infer<typeof importFeature>[] = [];
  const errors: ImportProblem[] = [];
  if (raw.length === 0) errors.push({ code: 'invalid_file', message: '文件中没有要素 (the file holds no features)' });
  if (raw.length > 999) errors.push({ code: 'invalid_file', message: `要素过多：${raw.length} 个，一个方案最多 999 个网格 (at most 999 grids)` });
  raw.forEach((f, i) => {
    const n = asInt(pick(f.properties, NUMBER_KEYS));
    const idValue = pick(f.properties, GRID_ID_KEYS);
    const gridId = idValue === null || idValue === undefined || idValue === '' || idValue === 0 ? null : asInt(idValue);
    const who = `第 ${i + 1} 个要素${n !== null ? `（第${n}网格）` : ''}`;
    if (n === null) {
      errors.push({ code: 'invalid_feature', message: `${who}缺少网格编号：应有 number（或“网格编号”）字段，1–999 的整数 (feature ${i + 1}: no grid number)` });
      return;
    }
    if (idValue !== null && idValue !== undefined && idValue !== '' && idValue !== 0 && gridId === null) {
      errors.push({ code: 'invalid_feature', grid: n, message: `${who}的 grid_id “${String(idValue)}” 不是整数 (feature ${i + 1}: grid_id is not an integer)` });
      return;
    }
    if (!f.geometry) {
      errors.push({ code: 'invalid_feature', grid: n, message: `${who}没有几何 (feature ${i + 1} has no geometry)` });
      return;
    }
    if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') {
      errors.push({ code: 'invalid_feature', grid: n, message: `${who}是 ${f.geometry.type}，网格应为面 Polygon/MultiPolygon (feature ${i + 1} is a ${f.geometry.type}, not a polygon)` });
      return;
    }
    const parsed = importFeature.safeParse({ type: 'Feature', properties: { grid_id: gridId, number: n }, geometry: f.geometry });
    if (!parsed.success) {
      errors.push({ code: 'invalid_feature', grid: n, message: `${who}：${describeZodError(parsed.error)}` });
      return;
    }
    features.push(parsed.data);
  });
  const seen = new Map<number, number>();
  features.forEach((f, i) => {
    const k = f.properties.number;
    if (seen.has(k)) errors.push({ code: 'invalid_feature', grid: k, message: `网格编号 ${k} 重复：第 ${seen.get(k)! + 1} 与第 ${i + 1} 个要素 (grid number ${k} appears twice)` });
    else seen.set(k, i);
  });
  return { features, errors };
}

/** Thrown to roll a dry run back once its report is made. */
class DryRun {
  constructor(readonly report: ImportFileReport) {}
}

const IMPORT_REPORT_SQL = `SELECT count(*)::int AS n FROM plan_assignments a JOIN blocks b ON b.id = a.block_id
                            WHERE a.plan_id = $1 AND a.grid_id IS DISTINCT FROM b.grid_id`;

/** A draft from imported GeoJSON, in one transaction; ImportInvalid (or a 400) for every problem found. */
export async function importDraft(db: Db, community: { id: number; layout_version: number }, body: z.infer<typeof importPlanBody>, who: Actor): Promise<PlanSummary> {
  const id = await db.withTransaction(async (client) => {
    const list = await importAssignments(client, community.id, body);
    return createDraft(client, community, body.title ?? '导入的方案', list, who);
  });
  return loadSummary(db, id);
}

/**
 * A draft from a file's features (planFeatures), in one transaction, with the report of what it
 * changes; a dry run makes the same report and rolls the draft back. ImportInvalid, or a 400 of
 * createDraft's, for a file that cannot become a draft.
 */
export async function importFileDraft(db: Db, community: { id: number; layout_version: number },
  file: { name: string; info: ImportFileInfo; features: z.infer<typeof importFeature>[] }, title: string | undefined, dryRun: boolean,
  who: Actor): Promise<ImportFileReport> {
  const body = { community: community.id, title, geojson: { type: 'FeatureCollection' as const, features: file.features } };
  try {
    return await db.withTransaction(async (client) => {
      const list = await importAssignments(client, community.id, body);
      const id = await createDraft(client, community, title || `导入的方案：${file.name}`.slice(0, 200), list, who);
      await usePlan(client, id);
      const detail = JSON.parse((await client.query<{ body: string }>(DETAIL_GRIDS)).rows[0].body);
      const blocksMoving = (await client.query<{ n: number }>(IMPORT_REPORT_SQL, [id])).rows[0].n;
      const summary = (await client.query<Record<string, any>>(`${SUMMARY} WHERE p.id = $1`, [id])).rows[0];
      const r: ImportFileReport = {
        dry_run: dryRun, ok: true, file: file.info, errors: [],
        grids: detail.grids.map((g: any) => ({ key: g.key, grid_id: g.grid_id, number: g.number, name: g.name, blocks: g.blocks, households: g.households,
          households_in: Number(g.households_in), households_out: Number(g.households_out) })),
        removed_grids: detail.removed_grids, blocks_moving: blocksMoving, households_moving: Number(detail.households_moving),
        plan: dryRun ? null : { ...summary, created_at: new Date(summary.created_at).toISOString() } as ImportFileReport['plan'],
      };
      if (dryRun) throw new DryRun(r);
      return r;
    });
  } catch (err) {
    if (err instanceof DryRun) return err.report;
    throw err;
  }
}
