// Cutting blocks with a drawn line (街区切分), for where a grid line must run through a block.
// One transaction: the community row is locked and its layout_version compared with the one the
// planner drew on (409 when stale); PostGIS cuts every block of the community the line crosses
// from edge to edge (ST_Split); each part must be a valid polygon of at least MIN_BLOCK_PART_M2
// (else 400 with the slivers' geometry); the largest part keeps the block's id, code and grid,
// the others become new blocks of the same grid; each household of a cut block goes to the part
// its point lies in. Grids do not change (a grid is the dissolve of its blocks, and the parts
// tile the block), so no household changes grid. The layout version moves on, and drafts drawn
// on the old blocks are superseded (they no longer name every block).
import type pg from 'pg';
import { HTTPException } from 'hono/http-exception';
import { MAX_BLOCKS_PER_SPLIT, MIN_BLOCK_PART_M2, type PlanError, type SplitBlocksBody, type SplitBlocksResponse } from '@grid-atlas/contract';
import { audit } from '../audit/index.ts';
import { badRequest } from '../http/errors.ts';
import type { Actor } from './apply.ts';

export class SplitInvalid extends HTTPException {
  constructor(readonly errors: PlanError[]) {
    super(400, { message: `切分会留下 ${errors.length} 个过小的碎块，请调整切线 (the cut would leave ${errors.length} sliver(s); redraw the line)` });
  }
}

// geom: exact (hex EWKB, no rounding: the parts must tile the block to the last bit); json: for display
interface Part { block_id: number; k: number; geom: string; json: string; m2: number; valid: boolean }

export async function splitBlocks(client: pg.ClientBase, body: SplitBlocksBody, who: Actor): Promise<SplitBlocksResponse> {
  const c = (await client.query<{ code: string; layout_version: number }>(
    'SELECT code, layout_version FROM communities WHERE id = $1 FOR UPDATE', [body.community])).rows[0];
  if (c.layout_version !== body.layout_version) {
    throw new HTTPException(409, { message: `社区网格已更新（第 ${c.layout_version} 版），请刷新后重画 (the community's layout changed; reload and draw again)` });
  }
  const line = await lineGeoJson(client, body.line.coordinates);

  // Every part of every block the line cuts; k = 1 is the largest (it keeps the block's id).
  const parts = (await client.query<Part>(
    `WITH l AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($2), 4326) AS g),
          cut AS (SELECT b.id, d.geom FROM blocks b, l CROSS JOIN LATERAL ST_Dump(ST_Split(b.geom, l.g)) d
                   WHERE b.community_id = $1 AND ST_Intersects(b.geom, l.g)),
          counted AS (SELECT id FROM cut GROUP BY id HAVING count(*) > 1)
     SELECT cut.id AS block_id, row_number() OVER (PARTITION BY cut.id ORDER BY ST_Area(cut.geom) DESC, ST_AsBinary(cut.geom))::int AS k,
            ST_AsHEXEWKB(cut.geom) AS geom, ST_AsGeoJSON(cut.geom, 7) AS json, ST_Area(cut.geom::geography) AS m2, ST_IsValid(cut.geom) AS valid
       FROM cut JOIN counted USING (id) ORDER BY cut.id, k`, [body.community, line])).rows;
  const cutIds = [...new Set(parts.map((p) => p.block_id))];
  if (cutIds.length === 0) throw badRequest('切线没有从一侧到另一侧穿过任何街区，请从街区外画到街区外 (the line crosses no block from edge to edge; draw it from outside the block to outside)');
  if (cutIds.length > MAX_BLOCKS_PER_SPLIT) throw badRequest(`一次最多切分 ${MAX_BLOCKS_PER_SPLIT} 个街区 (at most ${MAX_BLOCKS_PER_SPLIT} blocks per cut)`);
  const bad = parts.filter((p) => !p.valid || p.m2 < MIN_BLOCK_PART_M2);
  if (bad.length) {
    throw new SplitInvalid(bad.map((p) => ({
      code: 'sliver', block: p.block_id, geometry: JSON.parse(p.json),
      message: `街区 ${p.block_id} 会留下 ${p.m2.toFixed(1)} m² 的碎块（最小 ${MIN_BLOCK_PART_M2} m²） (block ${p.block_id} would leave a ${p.m2.toFixed(1)} m² sliver)`,
    })));
  }

  // New codes continue the community's numbering: <community code>K<4 digits>.
  let next = (await client.query<{ n: number }>(
    `SELECT coalesce(max(substring(code FROM 'K([0-9]{4})$')::int), 0) AS n FROM blocks WHERE community_id = $1`, [body.community])).rows[0].n;
  const result: SplitBlocksResponse['blocks'] = [];
  for (const id of cutIds) {
    const own = parts.filter((p) => p.block_id === id);
    await client.query(`UPDATE blocks SET geom = ST_GeomFromEWKB(decode($2, 'hex')) WHERE id = $1`, [id, own[0].geom]);
    const ids = [id];
    for (const p of own.slice(1)) {
      if (++next > 9999) throw badRequest('本社区街区编号已用完 (the community has run out of block numbers)');
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO blocks (code, community_id, grid_id, geom)
         SELECT $2 || 'K' || lpad($3::text, 4, '0'), community_id, grid_id, ST_GeomFromEWKB(decode($4, 'hex'))
           FROM blocks WHERE id = $1 RETURNING id`, [id, c.code, next, p.geom]);
      ids.push(rows[0].id);
    }
    // Each household to the part its point lies in (on the cut line itself: the first such part),
    // a household lying just outside every part (as derived blocks allow) to the nearest.
    await client.query(
      `UPDATE households h SET block_id = (SELECT b.id FROM blocks b WHERE b.id = ANY($1::int[])
                                             ORDER BY ST_Intersects(b.geom, h.geom) DESC, ST_Distance(b.geom, h.geom), b.id LIMIT 1)
        WHERE h.block_id = $2`, [ids, id]);
    result.push({ id, parts: ids });
  }
  const version = c.layout_version + 1;
  await client.query('UPDATE communities SET layout_version = $2 WHERE id = $1', [body.community, version]);
  await client.query(`UPDATE plans SET status = 'superseded' WHERE community_id = $1 AND status = 'draft' AND base_version < $2`, [body.community, version]);
  await audit(client, {
    ...who, action: 'update', entity: 'block', entityId: body.community,
    before: { layout_version: c.layout_version }, after: { layout_version: version, line: body.line, blocks: result },
  });
  return { layout_version: version, blocks: result };
}

/** The drawn line as GeoJSON text for PostGIS, once it is simple and has a length (else 400). */
export async function lineGeoJson(client: pg.ClientBase, coordinates: readonly (readonly number[])[]): Promise<string> {
  const line = JSON.stringify({ type: 'LineString', coordinates: coordinates.map((p) => [p[0], p[1]]) });
  const shape = (await client.query<{ simple: boolean; length: number }>(
    `SELECT ST_IsSimple(g) AS simple, ST_Length(g::geography) AS length FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) x`, [line])).rows[0];
  if (!shape.simple) throw badRequest('线不能自相交 (the line must not cross itself)');
  if (!(shape.length > 0)) throw badRequest('线长度为零 (the line has no length)');
  return line;
}
