// Everything the server reads from its environment, parsed once at start-up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Config {
  port: number;
  host: string;
  /** Set: a real PostgreSQL + PostGIS server. Unset: the embedded PGlite database. */
  databaseUrl: string | undefined;
  /** Socket URL of an embedded database run by another process (the test suite's). */
  embeddedUrl: string | undefined;
  dataDir: string;
  /** Seed the Enshi dataset when the database has no subdistricts yet. */
  seed: boolean;
  clientDist: string;
  production: boolean;
  trustProxy: boolean;
  secureCookies: boolean;
  /** Create the demo accounts even on a real DATABASE_URL. */
  demoAccounts: boolean;
  /** Origins the browser may fetch basemap styles, tiles, glyphs and sprites from (CSP). */
  basemapOrigins: string[];
}

/**
 * GRID_ATLAS_BASEMAP_ORIGINS: comma-separated origins (https://tiles.example.com) that the
 * Content-Security-Policy lets the page load a remote basemap from. Unset: the origin of
 * VITE_BASEMAP_STYLE_URL when that is set here too, else none (the offline style).
 */
export function parseBasemapOrigins(env: NodeJS.ProcessEnv): string[] {
  const listed = env.GRID_ATLAS_BASEMAP_ORIGINS?.trim();
  const items = listed ? listed.split(/[\s,]+/).filter(Boolean) : env.VITE_BASEMAP_STYLE_URL ? [env.VITE_BASEMAP_STYLE_URL] : [];
  return items.map((item) => {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new Error(`GRID_ATLAS_BASEMAP_ORIGINS: "${item}" is not an origin such as https://tiles.example.com`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`GRID_ATLAS_BASEMAP_ORIGINS: "${item}" must be an http(s) origin`);
    }
    return url.origin; // never a path or a wildcard: the CSP names exactly this host
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedUrl: env.GRID_ATLAS_EMBEDDED_URL || undefined,
    dataDir: path.resolve(env.GRID_ATLAS_DATA_DIR ?? path.join(PROJECT_ROOT, '.data')),
    seed: env.GRID_ATLAS_SEED !== '0',
    clientDist: path.resolve(env.GRID_ATLAS_CLIENT_DIST ?? path.join(PROJECT_ROOT, 'client/dist')),
    production: env.NODE_ENV === 'production',
    trustProxy: env.GRID_ATLAS_TRUST_PROXY === '1',
    secureCookies: env.GRID_ATLAS_SECURE_COOKIES === '1' || env.NODE_ENV === 'production',
    demoAccounts: env.GRID_ATLAS_DEMO_ACCOUNTS === '1',
    basemapOrigins: parseBasemapOrigins(env),
  };
}
