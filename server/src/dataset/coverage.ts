// Checks that the boundaries form a clean hierarchy, in PostGIS: every polygon valid, each
// grid inside its community and each community inside its subdistrict, siblings never
// overlapping, and children covering their parent with no gap. Uses only functions that
// PostGIS 3.3 (Debian) and 3.6 (PGlite) share; ST_CoverageInvalidEdges would miss gaps
// wider than its tolerance anyway. Areas below 1 m² are rounding noise, not a problem.
import type { Queryable } from '../db/index.ts';
import { difference, intersection, unionAgg } from '../db/overlay.ts';

const TOLERANCE_M2 = 1;
// These queries take no parameters on purpose: PGlite (0.5.8 + PostGIS 0.2.8) answers the
// extended-protocol Execute of a query that aggregates with ST_Union with a PortalSuspended,
// `pg` then executes the closed portal again, and the connection falls out of step
// ("portal "" does not exist"). The simple protocol is not affected; the tolerance is our
// own constant, so inlining it is safe.

interface Level {
  child: string; // table
  parent: string;
  fk: string;
  zhChild: string;
  zhParent: string;
}

const LEVELS: Level[] = [
  { child: 'grids', parent: 'communities', fk: 'community_id', zhChild: '网格', zhParent: '社区' },
  { child: 'communities', parent: 'subdistricts', fk: 'subdistrict_id', zhChild: '社区', zhParent: '街道' },
];

const area = (expr: string) => `ST_Area((${expr})::geography)`;

export async function checkCoverage(client: Queryable): Promise<string[]> {
  const problems: string[] = [];
  for (const table of ['subdistricts', 'communities', 'grids']) {
    const { rows } = await client.query(
      `SELECT code, ST_IsValidReason(geom) AS reason FROM ${table} WHERE NOT ST_IsValid(geom) ORDER BY code`);
    for (const r of rows) problems.push(`${table} ${r.code}: invalid geometry (${r.reason})`);
  }
  if (problems.length) return problems; // the checks below need valid geometry

  for (const l of LEVELS) {
    // Table and column names come from the constant LEVELS above, never from input.
    const outside = await client.query(
      `SELECT ch.code, p.code AS parent, round(${area(difference('ch.geom', 'p.geom'))}::numeric, 1) AS m2
         FROM ${l.child} ch JOIN ${l.parent} p ON p.id = ch.${l.fk}
        WHERE NOT ST_CoveredBy(ch.geom, p.geom)
          AND ${area(difference('ch.geom', 'p.geom'))} > ${TOLERANCE_M2}
        ORDER BY ch.code`);
    for (const r of outside.rows) {
      problems.push(`${l.zhChild} ${r.code} 超出所属${l.zhParent} ${r.parent} ${r.m2} m² (extends outside its parent)`);
    }
    const overlaps = await client.query(
      `SELECT a.code AS a, b.code AS b, round(${area(intersection('a.geom', 'b.geom'))}::numeric, 1) AS m2
         FROM ${l.child} a JOIN ${l.child} b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
        WHERE ${area(intersection('a.geom', 'b.geom'))} > ${TOLERANCE_M2}
        ORDER BY a.code, b.code`);
    for (const r of overlaps.rows) {
      problems.push(`${l.zhChild} ${r.a} 与 ${r.b} 重叠 ${r.m2} m² (overlap)`);
    }
    const gaps = await client.query(
      `SELECT p.code, round(${area(difference('p.geom', unionAgg('ch.geom')))}::numeric, 1) AS m2
         FROM ${l.parent} p JOIN ${l.child} ch ON ch.${l.fk} = p.id
        GROUP BY p.id, p.code, p.geom
       HAVING ${area(difference('p.geom', unionAgg('ch.geom')))} > ${TOLERANCE_M2}
        ORDER BY p.code`);
    for (const r of gaps.rows) {
      problems.push(`${l.zhParent} ${r.code} 有 ${r.m2} m² 未被${l.zhChild}覆盖 (gap: not covered by its ${l.child})`);
    }
    const empty = await client.query(
      `SELECT p.code FROM ${l.parent} p WHERE NOT EXISTS (SELECT 1 FROM ${l.child} ch WHERE ch.${l.fk} = p.id) ORDER BY p.code`);
    for (const r of empty.rows) problems.push(`${l.zhParent} ${r.code} 没有任何${l.zhChild} (has no ${l.child})`);
  }
  return problems;
}
