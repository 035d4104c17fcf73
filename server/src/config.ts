// Everything the server reads from its environment, parsed once at start-up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Config {
  port: number;
  host: string;
  /** Set: a real PostgreSQL + PostGIS server. Unset: the embedded PGlite database. */
  databaseUrl: string | undefined;
  /** Set: a streaming replica of DATABASE_URL that serves the bulk read routes (OGC API, exports). */
  readUrl: string | undefined;
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
  /** statement_timeout of API queries on PostgreSQL; a query past it is answered 503. */
  statementTimeoutMs: number;
  /** Open311 API keys (GRID_ATLAS_OPEN311_KEYS), key → the system's name; none: POST is off. */
  open311Keys: Record<string, string>;
}

/**
 * GRID_ATLAS_OPEN311_KEYS: comma-separated name=key pairs, one per system allowed to file
 * service requests over Open311 (e.g. hotline12345=…). Keys are at least 24 characters.
 */
export function parseOpen311Keys(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (env.GRID_ATLAS_OPEN311_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,40})=([A-Za-z0-9_-]{24,200})$/.exec(item);
    if (!m) throw new Error(`GRID_ATLAS_OPEN311_KEYS: "${item.split('=')[0]}=…" is not name=key (a key of 24+ letters, digits, - or _)`);
    out[m[2]] = m[1];
  }
  return out;
}

/**
 * GRID_ATLAS_BASEMAP_ORIGINS: comma-separated origins (https://tiles.example.com) that the
 * Content-Security-Policy lets the page load a remote basemap from. Unset: the origin of
 * GRID_ATLAS_BASEMAP_STYLE_URL and VITE_BASEMAP_STYLE_URL when they are remote, else none (the offline style).
 */
export function parseBasemapOrigins(env: NodeJS.ProcessEnv): string[] {
  const listed = env.GRID_ATLAS_BASEMAP_ORIGINS?.trim();
  // A relative style path (on this server) needs no origin of its own.
  const styles = [env.GRID_ATLAS_BASEMAP_STYLE_URL, env.VITE_BASEMAP_STYLE_URL].map((u) => u?.trim()).filter((u): u is string => !!u && /^https?:/i.test(u));
  const items = listed ? listed.split(/[\s,]+/).filter(Boolean) : styles;
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

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** DATABASE_READ_URL: a hot standby of DATABASE_URL; meaningless (and refused) without it. */
function readUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_READ_URL || undefined;
  if (url && !env.DATABASE_URL) throw new Error('DATABASE_READ_URL is set without DATABASE_URL: a read replica needs the primary it follows');
  return url;
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
    readUrl: readUrlOf(env),
    embeddedUrl: env.GRID_ATLAS_EMBEDDED_URL || undefined,
    dataDir: path.resolve(env.GRID_ATLAS_DATA_DIR ?? path.join(PROJECT_ROOT, '.data')),
    seed: env.GRID_ATLAS_SEED !== '0',
    clientDist: path.resolve(env.GRID_ATLAS_CLIENT_DIST ?? path.join(PROJECT_ROOT, 'client/dist')),
    production: env.NODE_ENV === 'production',
    trustProxy: env.GRID_ATLAS_TRUST_PROXY === '1',
    secureCookies: env.GRID_ATLAS_SECURE_COOKIES === '1' || env.NODE_ENV === 'production',
    demoAccounts: env.GRID_ATLAS_DEMO_ACCOUNTS === '1',
    basemapOrigins: parseBasemapOrigins(env),
    statementTimeoutMs: positiveInt(env, 'GRID_ATLAS_STATEMENT_TIMEOUT_MS', 10_000),
    open311Keys: parseOpen311Keys(env),
  };
}
