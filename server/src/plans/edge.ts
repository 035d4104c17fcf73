// Redrawing the shared edge between two neighbouring blocks (街区边界重画), for where a grid line
// should run a little elsewhere than the blocks' old edge. One transaction: the community row is
// locked and its layout_version compared with the one the planner drew on (409 when stale); the
// two blocks' union is split by the new line with PostGIS (ST_Split), which must give exactly two
// valid parts of at least MIN_BLOCK_PART_M2; each block takes the part that keeps most of its old
// shape. The union is untouched, so the community stays tiled to the last bit. Households of the
// two blocks go to the part their point lies in. When the blocks lie in two grids the edge is a
// grid line: both grids are dissolved again and must stay one piece and keep a household, and the
// households, cadres (by their point), cases and needs that changed side follow. The layout
// version moves on and drafts drawn on the old blocks are superseded, as after a cut. Each redraw
// records what it changed, and can be undone exactly until the layout moves on (edge-revert.ts).
import type pg from 'pg';
import { HTTPException } from 'hono/http-exception';
import { MIN_BLOCK_PART_M2, type PlanError, type RedrawEdgeBody, type RedrawEdgeResponse } from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import { badRequest } from '../http/errors.ts';
import { moveCases, type Actor } from './apply.ts';
import { recordMoves, snapshotEdge } from './edge-revert.ts';
import { lineGeoJson, SplitInvalid } from './split.ts';
import { intersection, union2, unionAgg } from '../db/overlay.ts';

/** How close (degrees, about 0.1 m) a point of the new edge must be to a corner to be put on it. */
const SNAP_DEG = 1e-6;

/** A 400 whose `errors` carry the geometry to outline (pieces, a grid that would break). */
export class EdgeInvalid extends HTTPException {
  constructor(message: string, readonly errors: PlanError[]) {
    super(400, { message });
  }
}

interface Part { k: number; geom: string; json: string; m2: number; valid: boolean; over_a: number; over_b: number }

export async function redrawEdge(client: pg.ClientBase, body: RedrawEdgeBody, who: Actor): Promise<RedrawEdgeResponse> {
  const c = (await client.query<{ layout_version: number }>(
    'SELECT layout_version FROM communities WHERE id = $1 FOR UPDATE', [body.community])).rows[0];
  if (c.layout_version !== body.layout_version) {
    throw new HTTPException(409, { message: `社区网格已更新（第 ${c.layout_version} 版），请刷新后重画 (the community's layout changed; reload and draw again)` });
  }
  const [a, b] = body.blocks;
  const blocks = (await client.query<{ id: number; grid_id: number }>(
    'SELECT id, grid_id FROM blocks WHERE id = ANY ($1::int[]) AND community_id = $2', [[a, b], body.community])).rows;
  for (const id of [a, b]) {
    if (!blocks.some((r) => r.id === id)) throw badRequest(`街区 ${id} 不在本社区 (block ${id} is not in this community)`);
  }
  const gridOf = new Map(blocks.map((r) => [r.id, r.grid_id]));
  const line = await lineGeoJson(client, body.line.coordinates);

  // Neighbours share an edge, so together they are one polygon (blocks meeting at a corner are two).
  const joined = (await client.query<{ one: boolean }>(
    `SELECT ST_GeometryType(${union2('a.geom', 'b.geom')}) = 'ST_Polygon' AS one FROM blocks a, blocks b WHERE a.id = $1 AND b.id = $2`, [a, b])).rows[0];
  if (!joined.one) throw badRequest(`街区 ${a} 与 ${b} 不相邻，没有可重画的共同边界 (blocks ${a} and ${b} share no edge)`);

  // The two blocks' union, split by the line; each part with how much of each old block it keeps.
  const parts = (await client.query<Part>(
    `WITH a AS (SELECT geom FROM blocks WHERE id = $1), b AS (SELECT geom FROM blocks WHERE id = $2),
          -- in floating point, unlike every other overlay (db/overlay.ts): the two new blocks keep
          -- the exact outline their neighbours share. Should GEOS fail here, no part comes back
          -- and the redraw is refused below, having changed nothing.
          u AS (SELECT ST_Union(a.geom, b.geom) AS g FROM a, b),
          -- the line's points within SNAP_DEG of a corner of the union land exactly on it (a
          -- drawing tool may round a snapped corner's coordinates, and an end a hair off cuts nothing)
          cut AS (SELECT d.path[1] AS k, d.geom FROM u, ST_Dump(ST_Split(u.g, ST_Snap(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326), u.g, $4))) d)
     SELECT cut.k, ST_AsHEXEWKB(cut.geom) AS geom, ST_AsGeoJSON(cut.geom, 7) AS json, ST_Area(cut.geom::geography) AS m2,
            ST_IsValid(cut.geom) AS valid, ST_Area(${intersection('cut.geom', 'a.geom')}) AS over_a, ST_Area(${intersection('cut.geom', 'b.geom')}) AS over_b
       FROM cut, a, b ORDER BY cut.k`, [a, b, line, SNAP_DEG])).rows;
  if (parts.length < 2) {
    // An end a hair inside the outline cuts nothing: the planner snaps the ends onto the blocks' corners.
    throw badRequest('新边界须从两个街区的外轮廓画到外轮廓，两端落在轮廓上（吸附到街区角点） (the new edge must run across the two blocks from their outline to their outline; snap its ends onto corners)');
  }
  if (parts.length > 2) {
    throw new EdgeInvalid(`新边界把两个街区分成了 ${parts.length} 块，只能分成两块 (the new edge cuts the two blocks into ${parts.length} pieces; it must make exactly two)`,
      parts.map((p) => ({ code: 'sliver', geometry: JSON.parse(p.json), message: `${p.m2.toFixed(1)} m²` })));
  }
  const bad = parts.filter((p) => !p.valid || p.m2 < MIN_BLOCK_PART_M2);
  if (bad.length) {
    throw new SplitInvalid(bad.map((p) => ({
      code: 'sliver', geometry: JSON.parse(p.json),
      message: `会留下 ${p.m2.toFixed(1)} m² 的碎块（最小 ${MIN_BLOCK_PART_M2} m²） (the new edge would leave a ${p.m2.toFixed(1)} m² sliver)`,
    })));
  }
  // Each block takes the part that keeps most of its old shape (the pairing that keeps most of both).
  const [p, q] = parts;
  const [forA, forB] = p.over_a + q.over_b >= q.over_a + p.over_b ? [p, q] : [q, p];
  // What the redraw is about to change, so that it can be undone exactly (edge-revert.ts).
  const [ga, gb] = [gridOf.get(a)!, gridOf.get(b)!];
  const version = c.layout_version + 1;
  const snapshot = await snapshotEdge(client, body.community, version, [a, b], ga === gb ? [] : [ga, gb], who);
  await client.query(
    `UPDATE blocks SET geom = ST_GeomFromEWKB(decode(x.geom, 'hex'))
       FROM unnest($1::int[], $2::text[]) AS x (id, geom) WHERE blocks.id = x.id`, [[a, b], [forA.geom, forB.geom]]);
  // Households of the two blocks to the part their point lies in (on the edge itself: the lower
  // id), one lying just outside both (as derived blocks allow) to the nearer.
  const moved = (await client.query<{ id: number }>(
    `WITH m AS (
       SELECT h.id, h.block_id AS old,
              (SELECT k.id FROM blocks k WHERE k.id = ANY ($1::int[])
                ORDER BY ST_Intersects(k.geom, h.geom) DESC, ST_Distance(k.geom, h.geom), k.id LIMIT 1) AS new
         FROM households h WHERE h.block_id = ANY ($1::int[])
     )
     UPDATE households h SET block_id = m.new FROM m WHERE h.id = m.id AND m.new <> m.old RETURNING h.id`, [[a, b]])).rows;

  let changedGrid: { id: number; from: number; to: number }[] = [];
  if (ga !== gb) changedGrid = await moveGridLine(client, body.community, [ga, gb]);
  await recordMoves(client, snapshot.id, snapshot.prior);

  await client.query('UPDATE communities SET layout_version = $2 WHERE id = $1', [body.community, version]);
  await client.query(`UPDATE plans SET status = 'superseded' WHERE community_id = $1 AND status = 'draft' AND base_version < $2`, [body.community, version]);
  await audit(client, {
    ...who, action: 'update', entity: 'block', entityId: body.community,
    before: { layout_version: c.layout_version },
    after: { layout_version: version, edge_redraw: snapshot.id, edge: { blocks: [a, b], line: body.line }, households_moved: moved.length, moves: changedGrid.map((m) => [m.id, m.from, m.to]) },
  });
  return { redraw: snapshot.id, layout_version: version, households_moved: moved.length, households_changed_grid: changedGrid.length };
}

/**
 * The two grids on either side of a redrawn edge: dissolved again from their blocks (each must
 * stay one piece and keep a household), then what lies in them follows its block or its point.
 * Returns the households that changed grid.
 */
async function moveGridLine(client: pg.ClientBase, community: number, grids: [number, number]) {
  // Grid ids are integers read from the database, inlined: PGlite cannot run an ST_Union
  // aggregate with bind parameters (see dataset/coverage.ts).
  const ids = grids.map((g) => Number(g)).join(',');
  const shapes = (await client.query<{ id: number; number: number; parts: number; households: number; json: string }>(
    `WITH d AS (SELECT b.grid_id AS id, without_specks(${unionAgg('b.geom')}) AS geom FROM blocks b WHERE b.grid_id IN (${ids}) GROUP BY b.grid_id),
          u AS (UPDATE grids g SET geom = d.geom FROM d WHERE g.id = d.id AND NOT ST_Equals(g.geom, d.geom) RETURNING g.id)
     SELECT d.id, g.number, ST_NumGeometries(d.geom) AS parts, ST_AsGeoJSON(d.geom, 7) AS json,
            (SELECT count(*) FROM households h JOIN blocks b ON b.id = h.block_id WHERE b.grid_id = d.id)::int AS households
       FROM d JOIN grids g ON g.id = d.id ORDER BY d.id`)).rows;
  const errors: PlanError[] = [];
  for (const s of shapes) {
    if (s.parts > 1) errors.push({ code: 'multi_part', grid: s.number, geometry: JSON.parse(s.json), message: `第${s.number}网格会分成 ${s.parts} 块 (grid ${s.number} would fall apart into ${s.parts} pieces)` });
    if (s.households === 0) errors.push({ code: 'empty_grid', grid: s.number, geometry: JSON.parse(s.json), message: `第${s.number}网格会没有住户 (grid ${s.number} would hold no household)` });
  }
  if (errors.length) throw new EdgeInvalid(`新边界会使网格${errors.map((e) => e.message.split(' (')[0]).join('；')} (the new edge would break a grid)`, errors);
  const changed = (await client.query<{ id: number; from: number; to: number }>(
    `WITH m AS (
       SELECT h.id, h.grid_id AS "from", b.grid_id AS "to" FROM households h JOIN blocks b ON b.id = h.block_id
        WHERE b.grid_id = ANY ($1::int[]) AND h.grid_id IS DISTINCT FROM b.grid_id
     ), u AS (UPDATE households h SET grid_id = m."to" FROM m WHERE h.id = m.id)
     SELECT * FROM m ORDER BY id`, [grids])).rows;
  // cadres living on the moved ground follow their point, as after an apply; grid workers serve their grid
  await client.query(
    `UPDATE cadres x SET grid_id = g.id FROM grids g
      WHERE g.id = ANY ($1::int[]) AND x.grid_id = ANY ($1::int[]) AND x.grid_id <> g.id
        AND x.kind <> 'grid_worker' AND ST_Intersects(g.geom, x.geom)`, [grids]);
  await moveCases(client, [community], [], []);
  return changed;
}
