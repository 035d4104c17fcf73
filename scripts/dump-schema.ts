// Writes sql/schema.sql: the schema after all migrations, dumped from a scratch PostgreSQL
// database so that schema changes show up as a reviewable diff.
// Usage: DATABASE_URL=postgres://…/scratch npx pnpm@10 db:dump-schema  (needs pg_dump on PATH)
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../server/src/db/index.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { PROJECT_ROOT } from '../server/src/config.ts';
import { dumpSchema } from './schema-dump.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to an empty scratch database (its schema is dumped)');
const db = await openDb({ databaseUrl: url, dataDir: '' });
await migrate(db);
await db.close();
fs.writeFileSync(path.join(PROJECT_ROOT, 'sql/schema.sql'), dumpSchema(url));
console.log('wrote sql/schema.sql');
