// Replaces the boundaries with a city's own (validated) GeoJSON and reassigns every
// household to the grid that now contains it. Runs on a client inside the caller's
// transaction: if any check fails, the caller rolls back and nothing has changed.
import type pg from 'pg';
import { validateBoundaries } from '@grid-atlas/geodata';
import { audit } from '../audit/index.ts';
import { checkCoverage } from './coverage.ts';
import { deriveAllBlocks, reassignHouseholds, writeBoundaries } from './boundaries.ts';

export class ImportError extends Error {
  constructor(readonly problems: string[]) {
    super(`边界数据有 ${problems.length} 个问题 (the boundaries have ${problems.length} problem(s)):\n- ${problems.join('\n- ')}`);
  }
}

export interface ImportResult {
  subdistricts: number;
  communities: number;
  grids: number;
  householdsChanged: number;
  householdsOutside: number;
  blocks: number;
}

const COUNTS_SQL = `SELECT (SELECT count(*) FROM subdistricts) AS subdistricts, (SELECT count(*) FROM communities) AS communities,
                           (SELECT count(*) FROM grids) AS grids`;

export async function importBoundaries(client: pg.PoolClient, input: unknown, actor: string): Promise<ImportResult> {
  const checked = validateBoundaries(input);
  if (!checked.ok) throw new ImportError(checked.errors);
  const b = checked.boundaries;
  const before = (await client.query(COUNTS_SQL)).rows[0];
  await writeBoundaries(client, b);
  const problems = await checkCoverage(client);
  if (problems.length) throw new ImportError(problems.slice(0, 50));
  const { changed, outside } = await reassignHouseholds(client);
  // Every city can plan: blocks follow the new grids, and drafts made against the old
  // layout become stale (a plan may only be applied to the layout it was drawn on).
  const blocks = await deriveAllBlocks(client);
  await client.query('UPDATE communities SET layout_version = layout_version + 1');
  await client.query(
    `INSERT INTO dataset_info (key, value) VALUES ('name', 'imported'), ('synthetic', $1)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [String(b.grids.features.every((f) => f.properties.synthetic))],
  );
  const result = {
    subdistricts: b.subdistricts.features.length,
    communities: b.communities.features.length,
    grids: b.grids.features.length,
    householdsChanged: changed,
    householdsOutside: outside,
    blocks,
  };
  await audit(client, { userId: null, actor, action: 'import', entity: 'boundaries', before, after: result });
  return result;
}
