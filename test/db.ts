// Opens the test run's database from a test file (see global-setup.ts).
import { inject } from 'vitest';
import { openDb, type Db } from '../server/src/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    db: { kind: 'embedded' | 'postgres'; url: string };
  }
}

export function openTestDb(): Promise<Db> {
  const { kind, url } = inject('db');
  return openDb(kind === 'embedded' ? { embeddedUrl: url, dataDir: '' } : { databaseUrl: url, dataDir: '' });
}

/** Environment for a server child process that should use the test run's database. */
export function testDbEnv(): Record<string, string> {
  const { kind, url } = inject('db');
  return kind === 'embedded' ? { GRID_ATLAS_EMBEDDED_URL: url } : { DATABASE_URL: url };
}
