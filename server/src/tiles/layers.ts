// The layers /tiles serves, each as the rows an OGC API collection of the same name holds (its
// table, joins, roles and scope in SQL: ogc/collections.ts), with the few scalar attributes a
// map styles and labels by. Vector tile attributes are flat: numbers, strings and booleans only.
import type { TileLayer } from '@grid-atlas/contract';
import { collectionById, type CollectionDef } from '../ogc/collections.ts';

export interface TileLayerDef {
  id: Exclude<TileLayer, 'streets' | 'buildings'>;
  /** The rows: from, where, scope, roles and geometry of the OGC collection. */
  rows: CollectionDef;
  /** jsonb_build_object(...) of the attributes, over the collection's aliases. */
  attributes: string;
  /** Whether the layer changes with every case event (its cache follows case_events, not data_version). */
  live: boolean;
}

const rows = (id: string): CollectionDef => {
  const def = collectionById(id);
  if (!def) throw new Error(`no OGC collection ${id}`);
  return def;
};

export const TILE_LAYER_DEFS: TileLayerDef[] = [
  {
    id: 'subdistricts', rows: rows('subdistricts'), live: false,
    attributes: `jsonb_build_object('code', x.code, 'name', x.name, 'synthetic', x.synthetic)`,
  },
  {
    id: 'communities', rows: rows('communities'), live: false,
    attributes: `jsonb_build_object('code', x.code, 'name', x.name, 'subdistrict_id', s.id, 'subdistrict_name', s.name, 'synthetic', x.synthetic)`,
  },
  {
    id: 'grids', rows: rows('grids'), live: false,
    attributes: `jsonb_build_object('code', x.code, 'number', x.number, 'name', x.name, 'community_id', c.id,
      'community_name', c.name, 'synthetic', x.synthetic,
      'households', (SELECT count(*)::int FROM households h WHERE h.grid_id = x.id))`,
  },
  {
    id: 'blocks', rows: rows('blocks'), live: false,
    attributes: `jsonb_build_object('code', x.code, 'community_id', c.id, 'grid_id', g.id, 'grid_number', g.number,
      'households', (SELECT count(*)::int FROM households h WHERE h.block_id = x.id))`,
  },
  {
    // No address, no reporter, no description: what a map marks a case by.
    id: 'cases', rows: rows('cases'), live: true,
    attributes: `jsonb_build_object('number', x.number, 'category', x.category_code, 'category_name', cat.name,
      'priority', x.priority, 'status', x.status, 'level', x.level, 'grid_id', x.grid_id,
      'community_id', x.community_id, 'created_at', to_char(x.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'))`,
  },
];

export const tileLayerDef = (id: TileLayer): TileLayerDef | undefined => TILE_LAYER_DEFS.find((d) => d.id === id);
