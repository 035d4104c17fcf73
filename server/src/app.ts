// The HTTP application: the API under /api and the built client for everything else.
import fs from 'node:fs';
import path from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import type { HistoryState } from '@grid-atlas/contract';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Db } from './db/index.ts';
import { onError } from './http/errors.ts';
import { csrf } from 'hono/csrf';
import { apiBodyLimit } from './http/body-limit.ts';
import { acceptBodies, API_BODY_TYPES, OPEN311_BODY_TYPES, rejectControlCharacters } from './http/text-input.ts';
import type { AppEnv } from './http/env.ts';
import { requireSession } from './middleware/auth/index.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { clientConfigRoutes } from './routes/client-config.ts';
import { caseRoutes } from './routes/cases.ts';
import { communityRoutes } from './routes/community.ts';
import { departmentRoutes } from './routes/departments.ts';
import { partnerRoutes } from './routes/partners.ts';
import { powerRoutes } from './routes/powers.ts';
import { workforceRoutes } from './routes/workforce.ts';
import { vanguardRoutes } from './routes/vanguard.ts';
import { organisationRoutes } from './routes/organisations.ts';
import { evaluationRoutes } from './routes/evaluation.ts';
import { needRoutes } from './routes/needs.ts';
import { resourceRoutes } from './routes/resources.ts';
import { basemapRoutes } from './routes/basemap.ts';
import { coverageRoutes } from './routes/coverage.ts';
import { geographyRoutes } from './routes/geography.ts';
import { healthRoutes } from './routes/health.ts';
import { householdRoutes } from './routes/households.ts';
import { planRoutes } from './routes/plans.ts';
import { boundaryRoutes } from './routes/boundaries.ts';
import { eventRoutes, wakeAfterWrites } from './routes/events.ts';
import { kpiRoutes } from './routes/kpis.ts';
import { exportRoutes } from './routes/exports.ts';
import { KpiCache } from './kpis/cache.ts';
import type { KpiResponse } from '@grid-atlas/contract';
import { open311Routes } from './open311/routes.ts';
import { publicReportRoutes } from './routes/public-reports.ts';
import { ogcRoutes } from './ogc/routes.ts';
import { tileRoutes } from './tiles/routes.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { placeRoutes } from './routes/places.ts';

export interface AppOptions {
  db: Db;
  /** Directory of the built client; omitted in API-only tests. */
  clientDist?: string;
  /** Believe X-Forwarded-For (behind a reverse proxy). */
  trustProxy?: boolean;
  /** Secure cookies even on plain http (TLS terminated in front of us). */
  secureCookies?: boolean;
  /** Origins a remote basemap may load from (GRID_ATLAS_BASEMAP_ORIGINS); none by default. */
  basemapOrigins?: string[];
  /** Open311 API keys → system names (GRID_ATLAS_OPEN311_KEYS); without any, Open311 POST is off. */
  open311Keys?: Record<string, string>;
  /** The demo history's state, which /api/health reports ('filling' while the first start writes it). */
  history?: () => HistoryState;
}

/**
 * The only routes reachable without signing in. Health reveals aggregate counts only; the
 * client config holds deployment settings (a basemap URL), nothing about the data; the city
 * outline (public data) and the synthetic streets and river are what the residents' report page
 * draws; /public/* is the residents' report page's API (routes/public-reports.ts), which reveals
 * a case only to the holder of its follow token, and names places in words (routes/places.ts:
 * grids and building addresses, never a person).
 */
export const PUBLIC_ROUTES = [
  'GET /health', 'POST /auth/login', 'GET /client-config', 'GET /city-outline', 'GET /basemap',
  'GET /public/categories', 'POST /public/reports', 'GET /public/reports/*', 'POST /public/reports/*',
  'GET /public/places', 'GET /public/places/at',
];

export function createApi(db: Db, options: Omit<AppOptions, 'db' | 'clientDist'> = {}) {
  // One KPI cache for the command centre's panels and the KPI export: the same question, one answer.
  const kpiCache = new KpiCache<KpiResponse>(db);
  return new Hono<AppEnv>()
    // Before the session lookup, so an oversized or malformed request costs no database work.
    .use(apiBodyLimit())
    .use(rejectControlCharacters())
    .use(requireSession(db, { publicRoutes: PUBLIC_ROUTES }))
    // After the session, so a caller without one learns nothing more than its 401.
    .use(acceptBodies(API_BODY_TYPES, '/api'))
    .use(wakeAfterWrites(db))
    .route('/', healthRoutes(db, options.history))
    .route('/', clientConfigRoutes())
    .route('/', authRoutes(db, { trustProxy: options.trustProxy ?? false, secureCookies: options.secureCookies ?? false }))
    .route('/', geographyRoutes(db))
    .route('/', householdRoutes(db))
    .route('/', communityRoutes(db))
    .route('/', auditRoutes(db))
    .route('/', caseRoutes(db))
    .route('/', planRoutes(db))
    .route('/', boundaryRoutes(db))
    .route('/', eventRoutes(db))
    .route('/', kpiRoutes(db, kpiCache))
    .route('/', departmentRoutes(db))
    .route('/', partnerRoutes(db))
    .route('/', powerRoutes(db))
    .route('/', workforceRoutes(db))
    .route('/', vanguardRoutes(db))
    .route('/', organisationRoutes(db))
    .route('/', evaluationRoutes(db))
    .route('/', resourceRoutes(db))
    .route('/', needRoutes(db, { trustProxy: options.trustProxy ?? false }))
    .route('/', basemapRoutes())
    .route('/', coverageRoutes(db))
    .route('/', placeRoutes(db, { trustProxy: options.trustProxy ?? false }))
    .route('/', exportRoutes(db, { trustProxy: options.trustProxy ?? false, kpiCache }))
    .route('/', tokenRoutes(db, { trustProxy: options.trustProxy ?? false }))
    .route('/', publicReportRoutes(db, { trustProxy: options.trustProxy ?? false }));
}

export type ApiType = ReturnType<typeof createApi>;

/** The filings that would land in the tables the demo history fills (cases and needs). */
export const HISTORY_GATED = /^\/(api\/(cases|needs|public\/reports)|open311\/v2\/requests(\.json)?)$/;

const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
};

export function createApp({ db, clientDist, ...options }: AppOptions) {
  const app = new Hono();
  // An optional remote basemap (GRID_ATLAS_BASEMAP_ORIGINS) may load its style, tiles, glyphs
  // and sprites from exactly the origins named; nothing else leaves the page.
  const basemap = options.basemapOrigins ?? [];
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // MapLibre and deck.gl build their workers and shaders from blobs at run time.
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:', ...basemap],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", ...basemap],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.onError(onError);
  // While the first start writes the demo's 90-day history, new cases and needs wait: the history
  // is written only into empty tables (so never twice), and a filing that got in first would
  // leave the demo without its history for good. Reads go on; the page says what is happening.
  const history = options.history;
  if (history) {
    app.use('*', async (c, next) => {
      if (c.req.method === 'POST' && HISTORY_GATED.test(c.req.path) && history() === 'filling') {
        c.header('Retry-After', '10');
        return c.json({ error: '正在生成模拟历史数据，请稍候十几秒再提交 (the demo history is being written: try again shortly)' }, 503);
      }
      await next();
    });
  }
  // Personal data and tokens must never sit in a browser or proxy cache. Responses that
  // chose their own policy (the ETag-revalidated map layers) keep it.
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });
  // Cross-site form posts are refused by Origin; JSON bodies and the X-CSRF-Token header
  // (checked in requireSession) cover the rest.
  app.use('/api/*', csrf());
  app.route('/api', createApi(db, options));
  app.all('/api/*', (c) => c.json({ error: `没有这个接口 (no such endpoint): ${c.req.method} ${c.req.path}` }, 404));

  // Open311 GeoReport v2 for other city systems: reads are public, POST needs an API key; the
  // default body limit (a request is a few form fields, photos go by URL) refuses anything
  // larger; never cached; control characters refused.
  app.use('/open311/*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  app.use('/open311/*', apiBodyLimit({}));
  app.use('/open311/*', rejectControlCharacters());
  app.use('/open311/*', acceptBodies(OPEN311_BODY_TYPES, '/open311/v2'));
  app.route('/open311/v2', open311Routes(db, { keys: options.open311Keys ?? {} }));
  // Other versions and paths: the spec's error too (errors under /open311 are GeoReport errors: http/errors.ts).
  app.all('/open311/*', (c) => c.json([{ code: 404, description: `没有这个接口 (no such endpoint): ${c.req.method} ${c.req.path}` }], 404));

  // OGC API – Features for GIS software (QGIS, GDAL): reads only, each caller's own scope, never
  // cached; any body is refused past the default limit, control characters in the query too.
  app.use('/ogc', noStore);
  app.use('/ogc/*', noStore);
  app.use('/ogc/*', apiBodyLimit({}));
  app.use('/ogc/*', rejectControlCharacters());
  app.route('/ogc', ogcRoutes(db, { trustProxy: options.trustProxy ?? false }));
  app.all('/ogc/*', (c) => c.json({ code: 'NotFound', description: `没有这个接口 (no such endpoint): ${c.req.method} ${c.req.path}` }, 404));

  // Vector tiles (tiles/routes.ts): the OGC API's callers and scope, binary bodies, GET only.
  app.use('/tiles/*', apiBodyLimit({}));
  app.use('/tiles/*', rejectControlCharacters());
  app.route('/tiles', tileRoutes(db));
  app.all('/tiles/*', (c) => c.json({ error: `没有这个瓦片接口 (no such tile endpoint): ${c.req.method} ${c.req.path}; use /tiles/{layer}/{z}/{x}/{y}.mvt` }, 404));

  if (clientDist) {
    const index = path.join(clientDist, 'index.html');
    // Built assets are precompressed by scripts/build-client-if-stale.mjs; compress() covers the rest.
    app.use('/assets/*', serveStatic({ root: clientDist, precompressed: true }));
    app.use('*', compress());
    app.use('*', serveStatic({ root: clientDist }));
    // Client-side routes (/community, /login, …) all load the single page.
    app.get('*', (c) => {
      // `pnpm start` builds the client alongside the server; on a first start it may still be building.
      if (!fs.existsSync(index)) return c.text('客户端尚未构建完成，请稍候刷新 (client not built yet: `pnpm start` builds it, or run `npx pnpm@10 build`)', 503);
      c.header('Cache-Control', 'no-cache');
      return c.html(fs.readFileSync(index, 'utf8'));
    });
  }
  return app;
}
