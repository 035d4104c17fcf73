// sql/schema.sql is the reviewable picture of what the migrations build; it must not drift.
// On PostgreSQL (CI's second run) the test database is dumped exactly as scripts/dump-schema.ts
// does and compared line for line. PGlite has no pg_dump, so on the embedded run the catalog is
// compared with what schema.sql declares: every table with its columns and their types, every
// index, trigger and function. Both run on both backends; neither is ever skipped.
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import { dumpSchema } from '../../../scripts/schema-dump.ts';
import { PROJECT_ROOT } from '../config.ts';
import type { Db } from './index.ts';

const SCHEMA_FILE = path.join(PROJECT_ROOT, 'sql/schema.sql');
const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

/** Table name → its column lines (without the trailing comma), as pg_dump wrote them. */
function declaredTables(schema: string): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  // A partitioned table's closing parenthesis is followed by its PARTITION BY line.
  for (const m of schema.matchAll(/^CREATE TABLE public\.(\w+) \(\n([\s\S]*?)\n\)(?:\nPARTITION BY [^\n]*)?;$/gm)) {
    // Columns come first; table constraints follow, some over several lines (a CHECK with CASE).
    // A line that starts inside an open parenthesis continues the one before (the expression of
    // a generated column runs over several lines), so it is not a column of its own.
    const lines: string[] = [];
    let depth = 0;
    for (const raw of m[2].split('\n')) {
      if (depth === 0) lines.push(raw.trim().replace(/,$/, ''));
      for (const ch of raw) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    }
    const end = lines.findIndex((l) => l.startsWith('CONSTRAINT '));
    tables.set(m[1], end < 0 ? lines : lines.slice(0, end));
  }
  return tables;
}

// case_events' month partitions (case_events_month_YYYY_MM, migration 0041) come and go with the
// calendar and the history a database holds; scripts/schema-dump.ts leaves them out too. The
// triggers a partition inherits from its table (tgparentid set) are the table's, declared once.
const NOT_MONTH = (name: string) => `${name} !~ '^case_events_month_'`;

const declared = (re: RegExp) => [...committed.matchAll(re)].map((m) => m[1]).sort();

// Objects that belong to an extension (PostGIS's spatial_ref_sys, its functions) are not ours.
const NOT_EXTENSION = (oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = ${oid} AND d.deptype = 'e')`;

describe('sql/schema.sql', () => {
  it('declares exactly the tables, columns and column types the migrations built', async () => {
    const { rows } = await db.query<{ table: string; column: string; type: string }>(
      `SELECT c.relname AS table, quote_ident(a.attname) AS column, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND ${NOT_EXTENSION('c.oid')} AND ${NOT_MONTH('c.relname')}
        ORDER BY c.relname, a.attnum`,
    );
    const tables = declaredTables(committed);
    const actual = new Map<string, string[]>();
    for (const r of rows) actual.set(r.table, [...(actual.get(r.table) ?? []), `${r.column} ${r.type}`]);
    expect([...actual.keys()].sort()).toEqual([...tables.keys()].sort());
    for (const [table, columns] of actual) {
      // pg_dump qualifies PostGIS types with their schema; format_type does not (search_path).
      const lines = tables.get(table)!.map((l) => l.replace(/\bpublic\./g, ''));
      expect(lines.map((l) => l.split(' ')[0]), table).toEqual(columns.map((c) => c.split(' ')[0]));
      columns.forEach((c, i) => expect(`${lines[i]} `.startsWith(`${c} `), `${table}: "${lines[i]}" is not "${c}"`).toBe(true));
    }
  });

  it('declares exactly the indexes, triggers and functions the migrations built', async () => {
    const names = async (sql: string) => (await db.query<{ name: string }>(sql)).rows.map((r) => r.name).sort();
    const indexes = await names(
      `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE n.nspname = 'public' AND ${NOT_EXTENSION('t.oid')} AND ${NOT_MONTH('t.relname')}
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)`,
    );
    const triggers = await names(
      `SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND NOT t.tgisinternal AND t.tgparentid = 0`,
    );
    const functions = await names(
      `SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND ${NOT_EXTENSION('p.oid')}`,
    );
    expect(indexes).toEqual(declared(/^CREATE (?:UNIQUE )?INDEX (\w+) ON/gm));
    expect(triggers).toEqual(declared(/^CREATE TRIGGER (\w+) /gm));
    expect(functions).toEqual(declared(/^CREATE FUNCTION public\.(\w+)\(/gm));
  });

  it('is what scripts/dump-schema.ts writes for this database (pg_dump, PostgreSQL only)', () => {
    const { kind, url } = inject('db');
    if (kind === 'embedded') {
      // No pg_dump for PGlite: the two tests above compared the catalog instead. Still prove
      // the file is the generator's output, not a hand edit of it.
      expect(committed.startsWith('-- Generated by scripts/dump-schema.ts')).toBe(true);
      expect(committed).toMatch(/^-- PostgreSQL database dump complete$/m);
      return;
    }
    // Compared as text in memory: a diff in the failure message shows what drifted.
    expect(dumpSchema(url)).toBe(committed);
  });
});
