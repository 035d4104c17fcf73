// The database's CHECK constraints and the contract list the same values: a role, cadre kind,
// link or resource kind added on one side only fails here, before it fails in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CADRE_KINDS, CASE_UNIT_MODES, EDUCATION_LEVELS, LINK_KINDS, ORGANISATION_KINDS, PARTNER_ROLES, RESOURCE_KINDS, ROLES, VANGUARD_TASK_KINDS, VANGUARD_UNITS, WORKER_POSTS } from '@grid-atlas/contract';
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
  it('case_units.mode and role', async () => {
    expect(await checkValues('case_units', 'mode')).toEqual([...CASE_UNIT_MODES].sort());
    expect(await checkValues('case_units', 'role')).toEqual([...PARTNER_ROLES].sort());
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
  it('community_workers.education and .post', async () => {
    expect(await checkValues('community_workers', 'education')).toEqual([...EDUCATION_LEVELS].sort());
    expect(await checkValues('community_workers', 'post')).toEqual([...WORKER_POSTS].sort());
  });
  it('vanguard_tasks.kind and .unit', async () => {
    expect(await checkValues('vanguard_tasks', 'kind')).toEqual([...VANGUARD_TASK_KINDS].sort());
    expect(await checkValues('vanguard_tasks', 'unit')).toEqual([...VANGUARD_UNITS].sort());
  });
  it('social_organisations.kind', async () => {
    expect(await checkValues('social_organisations', 'kind')).toEqual([...ORGANISATION_KINDS].sort());
  });
});

describe('a link’s kind follows its cadre’s kind', () => {
  // 双定三联 links belong to in-service party members, area-branch links to sunk members;
  // households.in_service_linked relies on it (its triggers read the link kind alone).
  const tryLink = (cadreKind: string, linkKind: string) => db.withClient(async (client) => {
    await client.query('BEGIN');
    try {
      const cadre = (await client.query('SELECT id FROM cadres WHERE kind = $1 ORDER BY id LIMIT 1', [cadreKind])).rows[0].id;
      const household = (await client.query(
        'SELECT h.id FROM households h WHERE NOT EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.cadre_id = $1 AND l.household_id = h.id) ORDER BY h.id LIMIT 1',
        [cadre])).rows[0].id;
      await client.query('INSERT INTO cadre_household_links (cadre_id, household_id, kind) VALUES ($1, $2, $3)', [cadre, household, linkKind]);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('takes a neighbour link of an in-service member and a branch link of a sunk member', async () => {
    await tryLink('in_service', 'neighbour');
    await tryLink('sunk', 'branch');
  });
  it('refuses a neighbour link of a sunk member, or a branch link of an in-service member', async () => {
    await expect(tryLink('sunk', 'neighbour')).rejects.toThrow(/cadre_kind_fkey/);
    await expect(tryLink('in_service', 'branch')).rejects.toThrow(/cadre_kind_fkey/);
    await expect(tryLink('grid_worker', 'difficulty')).rejects.toThrow(/cadre_kind_fkey/);
  });
  it('matches the data: no link breaks the rule', async () => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id
        WHERE (l.kind = 'branch') <> (c.kind = 'sunk') OR (l.kind <> 'branch') <> (c.kind = 'in_service')`);
    expect(rows[0].n).toBe(0);
  });
});

describe('households.in_service_linked follows the links', () => {
  const flagMismatches = `SELECT count(*)::int AS n FROM households h
    WHERE h.in_service_linked <> EXISTS (SELECT 1 FROM cadre_household_links l WHERE l.household_id = h.id AND l.kind <> 'branch')`;

  it('agrees with the links for every household', async () => {
    expect((await db.query<{ n: number }>(flagMismatches)).rows[0].n).toBe(0);
  });

  it('is set by a new link, moved by an update, cleared by a delete and by a cascade from the cadre', () => db.withClient(async (client) => {
    await client.query('BEGIN');
    try {
      const flag = async (id: number) => (await client.query('SELECT in_service_linked FROM households WHERE id = $1', [id])).rows[0].in_service_linked;
      const [a, b] = (await client.query(`SELECT id FROM households WHERE NOT in_service_linked ORDER BY id LIMIT 2`)).rows.map((r) => r.id);
      const member = (await client.query(`SELECT id FROM cadres WHERE kind = 'in_service' ORDER BY id LIMIT 1`)).rows[0].id;
      await client.query(`INSERT INTO cadre_household_links (cadre_id, household_id, kind) VALUES ($1, $2, 'neighbour')`, [member, a]);
      expect(await flag(a)).toBe(true);
      await client.query('UPDATE cadre_household_links SET household_id = $3 WHERE cadre_id = $1 AND household_id = $2', [member, a, b]);
      expect([await flag(a), await flag(b)]).toEqual([false, true]);
      await client.query('DELETE FROM cadre_household_links WHERE cadre_id = $1 AND household_id = $2', [member, b]);
      expect(await flag(b)).toBe(false);
      // A member whose households have no other in-service link: deleting the member clears them.
      const { rows } = await client.query(
        `SELECT l.cadre_id, array_agg(l.household_id) AS ids FROM cadre_household_links l
          WHERE l.kind <> 'branch' AND NOT EXISTS (SELECT 1 FROM cadre_household_links o
                  WHERE o.household_id = l.household_id AND o.cadre_id <> l.cadre_id AND o.kind <> 'branch')
            AND NOT EXISTS (SELECT 1 FROM users u WHERE u.cadre_id = l.cadre_id)
            AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.assigned_cadre_id = l.cadre_id)
          GROUP BY l.cadre_id ORDER BY l.cadre_id LIMIT 1`);
      await client.query('DELETE FROM cadres WHERE id = $1', [rows[0].cadre_id]);
      for (const id of rows[0].ids) expect(await flag(id)).toBe(false);
      expect((await client.query(flagMismatches)).rows[0].n).toBe(0);
    } finally {
      await client.query('ROLLBACK');
    }
  }));
});
