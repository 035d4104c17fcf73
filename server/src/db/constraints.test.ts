// The database's CHECK constraints and the contract list the same values: a role, cadre kind,
// link or resource kind added on one side only fails here, before it fails in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CADRE_KINDS, LINK_KINDS, RESOURCE_KINDS, ROLES } from '@grid-atlas/contract';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from './index.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

/**
 * The quoted values of the one CHECK on `table` that constrains `column` to a list
 * (Postgres stores `col IN ('a', 'b')` as `col = ANY (ARRAY['a'::text, 'b'::text])`).
 */
async function checkValues(table: string, column: string): Promise<string[]> {
  const { rows } = await db.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype = 'c'`,
    [table],
  );
  const list = rows.map((r) => r.def).filter((d) => new RegExp(`\\(${column} = ANY \\(ARRAY\\[`).test(d));
  expect(list, `one list CHECK on ${table}.${column}`).toHaveLength(1);
  return [...list[0].matchAll(/'([^']+)'::text/g)].map((m) => m[1]).sort();
}

describe('CHECK constraints equal the contract', () => {
  it('users.role', async () => {
    expect(await checkValues('users', 'role')).toEqual([...ROLES].sort());
  });
  it('cadres.kind', async () => {
    expect(await checkValues('cadres', 'kind')).toEqual([...CADRE_KINDS].sort());
  });
  it('cadre_household_links.kind', async () => {
    expect(await checkValues('cadre_household_links', 'kind')).toEqual([...LINK_KINDS].sort());
  });
  it('department_resources.kind', async () => {
    expect(await checkValues('department_resources', 'kind')).toEqual([...RESOURCE_KINDS].sort());
  });
});
