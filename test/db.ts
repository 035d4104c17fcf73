// Opens the test run's database from a test file (see global-setup.ts).
import { inject } from 'vitest';
import { openDb, type Db } from '../server/src/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    db: { kind: 'embedded' | 'postgres'; url: string };
    /** A file where the browser tests' shared server writes its pid, for the run's teardown to stop it. */
    serverPids: string;
  }
}

/**
 * DATABASE_READ_URL, when the run has a streaming replica of DATABASE_URL (.ci/run starts one):
 * every app a test builds then serves the bulk read routes from it.
 */
export const readReplicaUrl = (): string | undefined => (inject('db').kind === 'postgres' && process.env.DATABASE_READ_URL) || undefined;

export function openTestDb(): Promise<Db> {
  const { kind, url } = inject('db');
  return openDb(kind === 'embedded' ? { embeddedUrl: url, dataDir: '' } : { databaseUrl: url, readUrl: readReplicaUrl(), dataDir: '' });
}

/** Environment for a server child process that should use the test run's database. */
export function testDbEnv(): Record<string, string> {
  const { kind, url } = inject('db');
  const replica = readReplicaUrl();
  return kind === 'embedded' ? { GRID_ATLAS_EMBEDDED_URL: url } : { DATABASE_URL: url, ...(replica ? { DATABASE_READ_URL: replica } : {}) };
}
