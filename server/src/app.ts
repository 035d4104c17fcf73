// The HTTP application: the API under /api and the built client for everything else.
import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Db } from './db/index.ts';
import { onError } from './http/errors.ts';
import { csrf } from 'hono/csrf';
import type { AppEnv } from './http/env.ts';
import { requireSession } from './middleware/auth/index.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { basemapRoutes } from './routes/basemap.ts';
import { communityRoutes } from './routes/community.ts';
import { coverageRoutes } from './routes/coverage.ts';
import { geographyRoutes } from './routes/geography.ts';
import { healthRoutes } from './routes/health.ts';
import { householdRoutes } from './routes/households.ts';

export interface AppOptions {
  db: Db;
  /** Directory of the built client; omitted in API-only tests. */
  clientDist?: string;
  /** Believe X-Forwarded-For (behind a reverse proxy). */
  trustProxy?: boolean;
  /** Secure cookies even on plain http (TLS terminated in front of us). */
  secureCookies?: boolean;
}

/** The only routes reachable without signing in. Health reveals aggregate counts only. */
export const PUBLIC_ROUTES = ['GET /health', 'POST /auth/login'];

export function createApi(db: Db, options: Omit<AppOptions, 'db' | 'clientDist'> = {}) {
  return new Hono<AppEnv>()
    .use(requireSession(db, { publicRoutes: PUBLIC_ROUTES }))
    .route('/', healthRoutes(db))
    .route('/', authRoutes(db, { trustProxy: options.trustProxy ?? false, secureCookies: options.secureCookies ?? false }))
    .route('/', geographyRoutes(db))
    .route('/', householdRoutes(db))
    .route('/', communityRoutes(db))
    .route('/', auditRoutes(db))
    .route('/', basemapRoutes())
    .route('/', coverageRoutes(db));
}

export type ApiType = ReturnType<typeof createApi>;

export function createApp({ db, clientDist, ...options }: AppOptions) {
  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // MapLibre and deck.gl build their workers and shaders from blobs at run time.
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // An optional remote basemap style (config) may load tiles, glyphs and sprites.
        connectSrc: ["'self'", 'https:'],
        fontSrc: ["'self'", 'data:', 'https:'],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.onError(onError);
  // Cross-site form posts are refused by Origin; JSON bodies and the X-CSRF-Token header
  // (checked in requireSession) cover the rest.
  app.use('/api/*', csrf());
  app.route('/api', createApi(db, options));
  app.all('/api/*', (c) => c.json({ error: `没有这个接口 (no such endpoint): ${c.req.method} ${c.req.path}` }, 404));

  if (clientDist) {
    const index = path.join(clientDist, 'index.html');
    // Built assets are precompressed by scripts/build-client-if-stale.mjs; compress() covers the rest.
    app.use('/assets/*', serveStatic({ root: clientDist, precompressed: true }));
    app.use('*', compress());
    app.use('*', serveStatic({ root: clientDist }));
    // Client-side routes (/community, /login, …) all load the single page.
    app.get('*', (c) => {
      if (!fs.existsSync(index)) return c.text('客户端尚未构建 (client not built): run `npx pnpm@10 build`', 503);
      c.header('Cache-Control', 'no-cache');
      return c.html(fs.readFileSync(index, 'utf8'));
    });
  }
  return app;
}
