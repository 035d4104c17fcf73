// GET /api/health: what load balancers and the header's totals read. Aggregate counts only.
//
// The answer is kept in memory and refreshed in the background at most every few seconds,
// so a probe never waits behind another user's query on the embedded database (one
// session; every query takes its turn). Only the very first probe waits for the database.
// When the last refresh failed the probe says so with a 503.
import { Hono } from 'hono';
import type { ErrorBody, Health, HistoryState } from '@grid-atlas/contract';
import { postgisVersion, type Db } from '../db/index.ts';
import { CADRE_GRID_SQL } from './cadre-grid.ts';

const COUNTS_SQL = `
  SELECT (SELECT version FROM data_version) AS version,
         (SELECT count(*) FROM subdistricts) AS subdistricts,
         (SELECT count(*) FROM communities) AS communities,
         (SELECT count(*) FROM grids) AS grids,
         (SELECT count(*) FROM households) AS households,
         (SELECT count(*) FROM (${CADRE_GRID_SQL}) cg)::int AS cadres,
         (SELECT value FROM dataset_info WHERE key = 'name') AS dataset`;
const VERSION_SQL = 'SELECT version FROM data_version';

/** How old a health answer may be before a probe starts a refresh (and still gets the old one). */
export const HEALTH_REFRESH_MS = 5_000;

type CountsRow = Health['counts'] & { version: number; dataset: string | null };

interface Snapshot {
  /** Undefined only when even the first refresh failed. */
  body: Health | undefined;
  version: number;
  at: number;
  error?: string;
}

/** history: the demo history's state (main.ts), read on every probe, never cached. */
export function healthRoutes(db: Db, history?: () => HistoryState) {
  let postgis: string | undefined;
  let snapshot: Snapshot | undefined;
  let refreshing: Promise<Snapshot> | undefined;

  const refresh = () => (refreshing ??= (async (): Promise<Snapshot> => {
    try {
      postgis ??= await postgisVersion(db);
      // Counting 95k households on every refresh would be wasted work: counts change only with the data.
      const version = (await db.query<{ version: number }>(VERSION_SQL)).rows[0].version;
      let body = snapshot?.body;
      if (!body || snapshot?.version !== version) {
        const { version: _v, dataset, ...counts } = (await db.query<CountsRow>(COUNTS_SQL)).rows[0];
        body = { db: db.kind, postgis, dataset: dataset ?? null, counts };
      }
      return (snapshot = { body, version, at: Date.now() });
    } catch (err) {
      return (snapshot = { body: snapshot?.body, version: snapshot?.version ?? -1, at: Date.now(), error: (err as Error).message });
    } finally {
      refreshing = undefined;
    }
  })());

  return new Hono().get('/health', async (c) => {
    const current = snapshot ?? (await refresh());
    if (Date.now() - current.at > HEALTH_REFRESH_MS) void refresh();
    c.header('Cache-Control', 'no-store');
    if (current.error || !current.body) {
      const body: ErrorBody = { error: `数据库不可用 (database unavailable): ${current.error}` };
      return c.json(body, 503);
    }
    const state = history?.();
    return c.json(state ? { ...current.body, history: state } : current.body, 200);
  });
}
