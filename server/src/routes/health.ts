// GET /api/health: what load balancers and the header's totals read. Aggregate counts only.
import { Hono } from 'hono';
import type { Health } from '@grid-atlas/contract';
import { dataVersion, postgisVersion, type Db } from '../db/index.ts';

const COUNTS_SQL = `
  SELECT (SELECT count(*) FROM subdistricts) AS subdistricts,
         (SELECT count(*) FROM communities) AS communities,
         (SELECT count(*) FROM grids) AS grids,
         (SELECT count(*) FROM households) AS households,
         (SELECT count(*) FROM cadres) AS cadres,
         (SELECT value FROM dataset_info WHERE key = 'name') AS dataset`;

type CountsRow = Health['counts'] & { dataset: string | null };

export function healthRoutes(db: Db) {
  let postgis: string | undefined;
  // Counting 95k households on every probe would be wasted work: counts change only with the data.
  let cached: { version: number; row: CountsRow } | undefined;
  return new Hono().get('/health', async (c) => {
    postgis ??= await postgisVersion(db);
    const version = await dataVersion(db);
    if (cached?.version !== version) cached = { version, row: (await db.query<CountsRow>(COUNTS_SQL)).rows[0] };
    const { dataset, ...counts } = cached.row;
    c.header('Cache-Control', 'no-store');
    const body: Health = { db: db.kind, postgis, dataset: dataset ?? null, counts };
    return c.json(body);
  });
}
