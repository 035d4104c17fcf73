// A whistle (社区吹哨) carries its case's filing time and area, what the KPIs aggregate whistle
// report times by: copied from the case when the whistle is made, whatever the writer sent, and
// kept when the case moves to another grid (a planner's new boundaries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCase } from '../../../test/cases-fixture.ts';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from '../db/index.ts';

let db: Db;
type Area = { grid: number; community: number; subdistrict: number };
const areas: Area[] = [];
let department = 0;
const filed = new Date('2020-07-01T09:00:00+08:00');

beforeAll(async () => {
  db = await openTestDb();
  // Grids of two communities in two subdistricts.
  const { rows } = await db.query<Area>(
    `SELECT DISTINCT ON (cm.subdistrict_id) g.id AS grid, g.community_id AS community, cm.subdistrict_id AS subdistrict
       FROM grids g JOIN communities cm ON cm.id = g.community_id ORDER BY cm.subdistrict_id, g.id LIMIT 2`);
  areas.push(...rows);
  // a unit of the first community's 大党委: a community whistles only its own units
  department = (await db.query<{ id: number }>('SELECT min(department_id) AS id FROM community_partner_units WHERE community_id = $1',
    [rows[0].community])).rows[0].id;
});
afterAll(async () => {
  await db?.close();
});

const whistle = async (caseId: number) => (await db.query(
  `SELECT case_created_at, grid_id AS grid, community_id AS community, subdistrict_id AS subdistrict
     FROM case_whistles WHERE case_id = $1`, [caseId])).rows[0];

describe('whistles carry their case’s filing time and area', () => {
  it('copies them when made, and follows the case to another grid', async () => {
    const [a, b] = areas;
    expect(a.subdistrict).not.toBe(b.subdistrict);
    const { id } = await insertCase(db, {
      grid_id: a.grid, status: 'submitted', created_at: filed, events: [{ action: 'submit', at: filed, to: 'submitted' }],
    });
    // A writer's own values for the copied columns do not stick.
    await db.query('INSERT INTO case_whistles (case_id, department_id, grid_id, case_created_at) VALUES ($1, $2, $3, now())',
      [id, department, b.grid]);
    expect(await whistle(id)).toEqual({ case_created_at: filed, ...a });

    await db.query('UPDATE cases SET grid_id = $2, community_id = $3, subdistrict_id = $4 WHERE id = $1',
      [id, b.grid, b.community, b.subdistrict]);
    expect(await whistle(id)).toEqual({ case_created_at: filed, ...b });

    // The department's report, and the case's own workflow, leave the copy as it is.
    await db.query('UPDATE case_whistles SET reported_at = $2 WHERE case_id = $1', [id, new Date(filed.getTime() + 3_600_000)]);
    await db.query(`UPDATE cases SET status = 'accepted' WHERE id = $1`, [id]);
    expect(await whistle(id)).toEqual({ case_created_at: filed, ...b });
  });
});
