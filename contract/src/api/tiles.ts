// Mapbox Vector Tiles (MVT 2.1, EPSG:3857 tile grid, XYZ numbering) at
// /tiles/{layer}/{z}/{x}/{y}.mvt: the map's layers as binary tiles for MapLibre, QGIS and GDAL.
import { z } from 'zod';

/**
 * The layers, each served at /tiles/{layer}/…; `streets` and `buildings` are the synthetic ground
 * (public), the rest are scoped like /ogc.
 */
export const TILE_LAYERS = ['subdistricts', 'communities', 'grids', 'blocks', 'streets', 'buildings', 'cases'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];

/** Zoom levels served: 0 (the world) to 20 (a few metres a pixel; past it a client overzooms). */
export const TILE_MAX_ZOOM = 20;
/**
 * The synthetic building footprints are drawn at street zoom only: a tile of the `buildings` layer
 * below this zoom is empty (204).
 */
export const BUILDINGS_MIN_ZOOM = 15;
/** Tile coordinates: 4096 units a side, as MapLibre and the MVT specification assume. */
export const TILE_EXTENT = 4096;

const ZOOM = /^(0|[1-9]\d?)$/;
const INDEX = /^(0|[1-9]\d{0,6})$/;

/** The path's z, x and y.mvt, checked against each other: x and y must lie in the 2^z × 2^z grid. */
export const tileParams = z.object({
  layer: z.enum(TILE_LAYERS, { error: `图层应为 ${TILE_LAYERS.join('、')} 之一 (layer must be one of ${TILE_LAYERS.join(', ')})` }),
  z: z.string().regex(ZOOM, '缩放级别应为 0 到 20 的整数 (z must be an integer 0..20)').transform(Number)
    .refine((n) => n <= TILE_MAX_ZOOM, '缩放级别应为 0 到 20 的整数 (z must be an integer 0..20)'),
  x: z.string().regex(INDEX, '瓦片列号应为非负整数 (x must be a non-negative integer)').transform(Number),
  y: z.string().regex(/^(0|[1-9]\d{0,6})\.mvt$/, '瓦片行号应为非负整数并以 .mvt 结尾 (y must be a non-negative integer followed by .mvt)')
    .transform((s) => Number(s.slice(0, -4))),
}).refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: '瓦片坐标超出该缩放级别的范围 (x and y must be below 2^z at this zoom)', path: ['x'] });
export type TileParams = z.infer<typeof tileParams>;

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';
