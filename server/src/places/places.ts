// Places in words: the grid a point lies in and the nearest building address, and addresses
// found by what a person types. Building addresses ("解放路7号") are a street and a number, not
// personal data; household heads and full addresses are searched only for roles that see personal
// data, and only in their own area (the scope is part of the query).
import type { PlaceAt, PlaceHit } from '@grid-atlas/contract';
import { inScope, type ScopeParams } from '../auth/scope.ts';
import type { Queryable } from '../db/index.ts';
import { locateSql, nearBox, SNAP_METRES } from '../cases/locate.ts';

/** A building further than this from the point is not "near" it. */
export const NEAR_METRES = 150;
export const MAX_HITS = 8;

// $1 lon, $2 lat, $3 the grid snap distance, $4 NEAR_METRES. The nearest building: households
// in a box around the point (gist index), measured on the sphere.
const AT_SQL = `
  WITH l AS (${locateSql('$1', '$2', '$3')})
  SELECT s.name AS subdistrict_name, cm.name AS community_name, g.number AS grid_number, l.inside,
         (SELECT h.building FROM households h
           WHERE h.geom && ${nearBox('$1::float8', '$2::float8', '$4::float8')}
             AND ST_DWithin(h.geom::geography, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)::geography, $4)
           ORDER BY ST_Distance(h.geom::geography, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)::geography), h.id
           LIMIT 1) AS near
    FROM l JOIN grids g ON g.id = l.grid_id JOIN communities cm ON cm.id = l.community_id
    JOIN subdistricts s ON s.id = l.subdistrict_id`;

export function placeLabel(p: Omit<PlaceAt, 'label'>): string {
  return `${p.community_name} 第${p.grid_number}网格${p.near ? ` · ${p.near}附近` : ''}`;
}

/** The place of a point; null when it lies outside every grid (and more than 50 m from one). */
export async function placeAt(db: Queryable, lon: number, lat: number): Promise<PlaceAt | null> {
  const { rows } = await db.query<Omit<PlaceAt, 'label'>>(AT_SQL, [lon, lat, SNAP_METRES, NEAR_METRES]);
  const r = rows[0];
  return r ? { ...r, label: placeLabel(r) } : null;
}

/** LIKE pattern for a typed text: its own % and _ are literal. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

// $1 pattern. One row per building (a building may hold households of two grids at an edge: the
// grid most of them are in names it), its centre the mean of its households.
const BUILDINGS_SQL = `
  SELECT 'building' AS kind, b.building, cm.name AS community_name, g.number AS grid_number,
         b.households, b.lon, b.lat
    FROM (SELECT h.building, count(*)::int AS households, avg(ST_X(h.geom)) AS lon, avg(ST_Y(h.geom)) AS lat,
                 mode() WITHIN GROUP (ORDER BY h.grid_id) AS grid_id
            FROM households h WHERE h.building LIKE $1 GROUP BY h.building
           ORDER BY length(h.building), h.building LIMIT ${MAX_HITS}) b
    JOIN grids g ON g.id = b.grid_id JOIN communities cm ON cm.id = g.community_id
   ORDER BY length(b.building), b.building`;

// $1–$4 the scope, $5 pattern: households whose head's name matches, in the user's area.
const HEADS_SQL = `
  SELECT 'household' AS kind, h.building, h.address, h.head_name, cm.name AS community_name, g.number AS grid_number,
         h.size AS households, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat
    FROM households h JOIN grids g ON g.id = h.grid_id JOIN communities cm ON cm.id = g.community_id
   WHERE ${inScope(1, { subdistrict: 'cm.subdistrict_id', community: 'cm.id', grid: 'g.id' })}
     AND h.head_name LIKE $5
   ORDER BY h.head_name, h.id LIMIT ${MAX_HITS}`;

/**
 * Building addresses that contain the text, and (with `personal`, the user's scope) households
 * whose head's name does. Building hits first: a typed address is the common question.
 */
export async function searchPlaces(db: Queryable, q: string, personal: ScopeParams | null): Promise<PlaceHit[]> {
  const pattern = likePattern(q);
  const buildings = (await db.query<PlaceHit>(BUILDINGS_SQL, [pattern])).rows;
  const heads = personal ? (await db.query<PlaceHit>(HEADS_SQL, [...personal, pattern])).rows : [];
  return [...buildings, ...heads].slice(0, MAX_HITS);
}
