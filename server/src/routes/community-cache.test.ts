// The roster and the links are cached per data version and scope: a change to the links is
// seen by the next request, users of another scope never get this one's body, and the
// cached personal data still goes out as no-store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CadreLinkLine, RosterGrid } from '@grid-atlas/contract';
import { signIn, type Signed } from '../../../test/auth.ts';
import { openTestDb } from '../../../test/db.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let secretary: Signed;
let other: Signed;
beforeAll(async () => {
  db = await openTestDb();
  app = createApp({ db, trustProxy: true });
  secretary = await signIn(app, 'secretary-422801001001');
  other = await signIn(app, 'secretary-422801001002');
});
afterAll(() => db?.close());

const roster = async (who: Signed) => {
  const res = await app.request('/api/roster', { headers: who.headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('etag')).toBeNull();
  return ((await res.json()) as { grids: RosterGrid[] }).grids;
};
const links = async (who: Signed) => {
  const res = await app.request('/api/links', { headers: who.headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return ((await res.json()) as { links: CadreLinkLine[] }).links;
};

describe('cached roster and links', () => {
  it('see a new link at once, and its removal', async () => {
    // A household of this community with no in-service member linked, and some in-service member.
    const { rows: [target] } = await db.query<{ household: number; grid: number; cadre: number }>(
      `SELECT h.id AS household, g.id AS grid,
              (SELECT min(c.id) FROM cadres c WHERE c.kind = 'in_service') AS cadre
         FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities cm ON cm.id = g.community_id
        WHERE cm.code = '422801001001' AND NOT EXISTS (
              SELECT 1 FROM cadre_household_links l JOIN cadres c ON c.id = l.cadre_id
               WHERE l.household_id = h.id AND c.kind = 'in_service')
        ORDER BY h.id LIMIT 1`);
    const before = await roster(secretary);
    const beforeLinks = await links(secretary);
    const otherBefore = await roster(other);
    expect(await roster(secretary)).toEqual(before); // a second read, from the cache, is the same
    const unlinked = (grids: RosterGrid[]) => grids.find((g) => g.id === target.grid)!.without_in_service_link;

    await db.query(`INSERT INTO cadre_household_links (cadre_id, household_id, kind) VALUES ($1, $2, 'neighbour')`, [target.cadre, target.household]);
    try {
      expect(unlinked(await roster(secretary))).toBe(unlinked(before) - 1);
      const after = await links(secretary);
      expect(after.length).toBe(beforeLinks.length + 1);
      expect(after.some((l) => l.household_id === target.household && l.cadre_id === target.cadre)).toBe(true);
      // Another community's secretary gets their own grids, never this one's.
      const theirs = await roster(other);
      expect(theirs.map((g) => g.id)).toEqual(otherBefore.map((g) => g.id));
      expect(theirs.some((g) => g.id === target.grid)).toBe(false);
    } finally {
      await db.query('DELETE FROM cadre_household_links WHERE cadre_id = $1 AND household_id = $2', [target.cadre, target.household]);
    }
    expect(await roster(secretary)).toEqual(before);
    expect((await links(secretary)).length).toBe(beforeLinks.length);
  });
});
