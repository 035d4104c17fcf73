export { createApp, createApi, type ApiType } from './app.ts';
export { openDb, type Db } from './db/index.ts';
export { migrate, readMigrations } from './db/migrate.ts';
export { seedIfEmpty } from './dataset/seed.ts';
export { loadConfig } from './config.ts';
