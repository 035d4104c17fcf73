// Replaces the boundaries with a city's own (validated) GeoJSON and reassigns every
// household to the grid that now contains it. Runs on a client inside the caller's
// transaction: if any check fails, the caller rolls back and nothing has changed.
import type pg from 'pg';
import { validateBoundaries, type ImportedBoundaries } from '@grid-atlas/geodata';
import { audit } from '../audit/index.ts';
import { checkCoverage } from './coverage.ts';
import { deriveAllBlocks, layoutFingerprints, reassignHouseholds, writeBoundaries } from './boundaries.ts';

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
  const stranded = await accountsOnRemovedUnits(client, b);
  if (stranded.length) throw new ImportError(stranded);
  const before = (await client.query(COUNTS_SQL)).rows[0];
  const layoutBefore = await layoutFingerprints(client);
  await writeBoundaries(client, b);
  const problems = await checkCoverage(client);
  if (problems.length) throw new ImportError(problems.slice(0, 50));
  // A community whose outline and grids come back exactly as they were keeps its assignments
  // and its blocks (re-deriving them all took ~18 s on the embedded database).
  const layoutAfter = await layoutFingerprints(client);
  const kept = [...layoutAfter].filter(([code, fp]) => layoutBefore.get(code) === fp).map(([code]) => code);
  const { changed, outside } = await reassignHouseholds(client, kept);
  // Every city can plan: blocks follow the new grids, and drafts made against the old
  // layout become stale (a plan may only be applied to the layout it was drawn on).
  const blocks = await deriveAllBlocks(client, kept);
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

const UNIT_ACCOUNTS_SQL = `
  SELECT '街道' AS zh, 'subdistrict' AS kind, s.code, s.name, string_agg(u.username, ', ' ORDER BY u.username) AS usernames
    FROM users u JOIN subdistricts s ON s.id = u.subdistrict_id WHERE NOT (s.code = ANY($1::text[])) GROUP BY s.code, s.name
  UNION ALL
  SELECT '社区', 'community', c.code, c.name, string_agg(u.username, ', ' ORDER BY u.username)
    FROM users u JOIN communities c ON c.id = u.community_id WHERE NOT (c.code = ANY($2::text[])) GROUP BY c.code, c.name
  UNION ALL
  SELECT '网格', 'grid', g.code, g.name, string_agg(u.username, ', ' ORDER BY u.username)
    FROM users u JOIN grids g ON g.id = u.grid_id WHERE NOT (g.code = ANY($3::text[])) GROUP BY g.code, g.name
  ORDER BY 3`;

/**
 * Units the new boundaries drop while accounts are still scoped to them. The database would
 * refuse the delete with a foreign-key error; a person needs to know which accounts to move
 * (`pnpm users -- set-role …`) or disable first.
 */
async function accountsOnRemovedUnits(client: pg.PoolClient, b: ImportedBoundaries): Promise<string[]> {
  const codes = (fc: { features: { properties: { code: string } }[] }) => fc.features.map((f) => f.properties.code);
  const { rows } = await client.query<{ zh: string; kind: string; code: string; name: string; usernames: string }>(
    UNIT_ACCOUNTS_SQL, [codes(b.subdistricts), codes(b.communities), codes(b.grids)]);
  return rows.map((r) =>
    `${r.zh} ${r.code} ${r.name} 不在新边界中，但仍有账号 ${r.usernames}：请先修改这些账号的范围或停用 ` +
    `(${r.kind} ${r.code} is removed but still has accounts ${r.usernames}; move or disable them first)`);
}
