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
  };
}
