// POST /api/boundaries/import: the administrator replaces the city's boundaries with its own
// files, as `pnpm import` does from a terminal: every check of the CLI, one transaction, the
// households reassigned and the blocks derived again. A dry run (the default) does all of it and
// rolls back, reporting what would change; a file that cannot be read, or boundaries that fail a
// check, are a 400 naming the layer and the problems, and change nothing.
import { Hono, type Context } from 'hono';
import {
  BOUNDARY_LAYERS, importBoundariesFields, type BoundaryImportReport, type BoundaryLayer,
} from '@grid-atlas/contract';
import { requireRole } from '../auth/authorize.ts';
import type { Db } from '../db/index.ts';
import { analyzeTables } from '../db/statistics.ts';
import { readBoundaryBytes, type LayerRead } from '../dataset/files.ts';
import { importBoundaries, ImportError, type ImportResult } from '../dataset/import.ts';
import { GeoFileError } from '../geofile/read.ts';
import type { AppEnv } from '../http/env.ts';
import { readForm } from '../http/form.ts';
import { badRequest, describeZodError } from '../http/errors.ts';

/** Thrown inside the dry run's transaction, so it rolls back with its result. */
class DryRun {
  constructor(readonly result: ImportResult) {}
}

const COUNTS = `SELECT (SELECT count(*)::int FROM subdistricts) AS subdistricts, (SELECT count(*)::int FROM communities) AS communities,
                       (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM blocks) AS blocks`;

/** Re-deriving a city's blocks is one statement of a minute or more on PostgreSQL, past the API's 10 s. */
const IMPORT_TIMEOUT = '600s';

/** The form: its text fields checked by the contract, and a file per layer (or one GeoPackage for all three). */
async function boundaryForm(c: Context) {
  const form = await readForm(c);
  const files: Partial<Record<BoundaryLayer | 'file', File>> = {};
  const text: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) {
    if (k === 'file' || (BOUNDARY_LAYERS as readonly string[]).includes(k)) {
      if (Array.isArray(v)) throw badRequest(`${k} 只能是一个文件 (send one file as ${k})`);
      if (typeof v === 'string') throw badRequest(`${k} 字段应为上传的文件 (the ${k} field must be a file)`);
      files[k as BoundaryLayer | 'file'] = v;
    } else if (typeof v === 'string') text[k] = v;
    else throw badRequest(`字段 ${k} 应为文本 (field ${k} must be a single text value)`);
  }
  const parsed = importBoundariesFields.safeParse(text);
  if (!parsed.success) throw badRequest(describeZodError(parsed.error));
  const layers = BOUNDARY_LAYERS.filter((l) => files[l]);
  if (files.file && layers.length) throw badRequest('请上传一个包含三个图层的 GeoPackage，或三个分别的文件，不要同时上传 (send one GeoPackage with the three layers, or three files, not both)');
  if (!files.file && layers.length < 3) {
    const missing = BOUNDARY_LAYERS.filter((l) => !files[l]);
    throw badRequest(`缺少图层文件：${missing.join('、')}（或上传一个包含三个图层的 GeoPackage） (missing files for ${missing.join(', ')}, or send one GeoPackage holding all three)`);
  }
  if (files.file && !/\.gpkg$/i.test(files.file.name)) {
    throw badRequest('单个文件须为包含 subdistricts、communities、grids 三个图层的 GeoPackage (.gpkg) (a single file must be a GeoPackage holding the three layers)');
  }
  return { fields: parsed.data, files };
}

export function boundaryRoutes(db: Db) {
  return new Hono<AppEnv>()
    .post('/boundaries/import', requireRole('admin'), async (c) => {
      const { fields, files } = await boundaryForm(c);
      const reads: LayerRead[] = [];
      const input: Record<BoundaryLayer, unknown> = { subdistricts: null, communities: null, grids: null };
      for (const layer of BOUNDARY_LAYERS) {
        const file = (files[layer] ?? files.file)!;
        try {
          const read = await readBoundaryBytes(layer, new Uint8Array(await file.arrayBuffer()), file.name, fields.crs);
          reads.push(read);
          input[layer] = read.collection;
        } catch (err) {
          if (err instanceof GeoFileError) throw badRequest(`${layer}：${err.message}`);
          throw err;
        }
      }
      const before = (await db.query<BoundaryImportReport['before']>(COUNTS)).rows[0];
      let result: ImportResult;
      try {
        result = await db.withTransaction(async (client) => {
          await client.query("SELECT set_config('statement_timeout', $1, true)", [IMPORT_TIMEOUT]);
          const r = await importBoundaries(client, input, c.get('user').username);
          if (fields.dry_run) throw new DryRun(r);
          return r;
        });
      } catch (err) {
        if (err instanceof ImportError) return c.json({ error: err.message.split('\n')[0], errors: err.problems }, 400);
        if (!(err instanceof DryRun)) throw err;
        result = err.result;
      }
      if (!fields.dry_run) await analyzeTables(db);
      return c.json<BoundaryImportReport>({
        dry_run: fields.dry_run,
        layers: reads.map((r, i) => ({ layer: BOUNDARY_LAYERS[i], summary: r.summary, warnings: r.warnings })),
        before,
        after: { subdistricts: result.subdistricts, communities: result.communities, grids: result.grids, blocks: result.blocks },
        households_changed: result.householdsChanged,
        households_outside: result.householdsOutside,
      }, fields.dry_run ? 200 : 201);
    });
}
