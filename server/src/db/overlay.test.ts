// The overlay helpers (db/overlay.ts) on a pair that the floating-point overlay fails on: a
// block of the embedded demo dataset and the neighbouring grid it touches along nearly coincident
// edges. Inside the embedded database, ST_Intersection(block, grid) without a grid size answered
// no row and no error for this pair. Each helper must answer its one row, on both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../../test/db.ts';
import type { Db } from './index.ts';
import { difference, intersection, union2, unionAgg } from './overlay.ts';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

const BLOCK =
  'SRID=4326;POLYGON((109.4908017 30.2839301,109.4909919 30.2838595,109.4911809 30.2837869,109.4913892 30.2837429' +
  ',109.491581 30.2836746,109.4917697 30.2836017,109.4919684 30.2835436,109.49203549113447 30.283472542410568,109' +
  '.49205467671881 30.28351290977142,109.49201009989066 30.284134499745733,109.49052556490655 30.285025399082198,' +
  '109.4905675 30.2849335,109.4906321 30.2847725,109.4906483 30.2845997,109.4907121 30.2844385,109.4907426 30.284' +
  '2692,109.4907803 30.2841016,109.4908017 30.2839301))';
const GRID =
  'SRID=4326;POLYGON((109.4883125 30.2826426,109.4884972 30.2825948,109.4886908 30.2825848,109.4888837 30.2825717' +
  ',109.4890728 30.2825425,109.489253 30.2824754,109.4893596 30.2826146,109.4894637 30.2827557,109.489573 30.2828' +
  '928,109.4896714 30.2830385,109.4897733 30.2831815,109.4899114 30.2832955,109.4900673 30.2833952,109.4901938 30' +
  '.2835186,109.4903608 30.2836094,109.4905036 30.2837196,109.4906601 30.2838188,109.4908017 30.2839301,109.49078' +
  '03 30.2841016,109.4907426 30.2842692,109.4907121 30.2844385,109.4906483 30.2845997,109.4906321 30.2847725,109.' +
  '4905675 30.2849335,109.4904949 30.2850926,109.4903775 30.2852408,109.4902499 30.2853098,109.4901309 30.2853892' +
  ',109.4899988 30.2854528,109.4898902 30.2855448,109.4897377 30.2855372,109.4895852 30.2855282,109.4894325 30.28' +
  '55298,109.4892798 30.28554,109.4891129 30.2854383,109.4889391 30.2853426,109.4887814 30.2852328,109.4886449 30' +
  '.2851045,109.4885175 30.2849682,109.4883889 30.2848329,109.4882839 30.284677,109.4881741 30.2845252,109.488034' +
  ' 30.2844001,109.4878791 30.2842879,109.4877075 30.2841902,109.4877521 30.2840308,109.4878009 30.2838726,109.48' +
  '78674 30.2837196,109.4879373 30.2835676,109.4880333 30.2834233,109.4881478 30.2832844,109.4882239 30.2831342,1' +
  '09.4882939 30.2829822,109.488317 30.2828165,109.4883125 30.2826426))';

/** The pair as a two-row table (inlined, no bind parameters: see unionAgg). */
const PAIR = `(VALUES (1, '${BLOCK}'::geometry), (2, '${GRID}'::geometry)) AS p(id, geom)`;

describe('fixed-precision overlays', () => {
  it('answer their row for the pair, with the areas a sound overlay gives', async () => {
    const { rows } = await db.query<{ meets: boolean; inter: number; diff: number; uni: number; block: number; grid: number }>(
      `SELECT NOT ST_IsEmpty(${intersection('a.geom', 'b.geom')}) AS meets, ST_Area(${intersection('a.geom', 'b.geom')}) AS inter, ST_Area(${difference('a.geom', 'b.geom')}) AS diff,
              ST_Area(${union2('a.geom', 'b.geom')}) AS uni, ST_Area(a.geom) AS block, ST_Area(b.geom) AS grid
         FROM ${PAIR.replace('p(id', 'a(id')}, ${PAIR.replace('p(id', 'b(id')}
        WHERE a.id = 1 AND b.id = 2`);
    expect(rows).toHaveLength(1);
    const r = rows[0];
    const eps = 1e-12; // square degrees: ~0.01 m²
    // They share an edge (a line, or slivers thinner than the grid), so the intersection is not empty.
    expect(r.meets).toBe(true);
    expect(Math.abs(r.inter + r.diff - r.block)).toBeLessThan(eps);
    expect(Math.abs(r.uni - (r.block + r.grid - r.inter))).toBeLessThan(eps);
  });

  it('answer the aggregate union\'s row', async () => {
    const { rows } = await db.query<{ parts: number }>(`SELECT ST_NumGeometries(${unionAgg('p.geom')}) AS parts FROM ${PAIR}`);
    expect(rows).toHaveLength(1);
    expect(rows[0].parts).toBeGreaterThanOrEqual(1);
  });
});
