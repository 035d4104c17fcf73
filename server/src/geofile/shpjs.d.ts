// shpjs ships no types: the two parsers used here, as its lib/index.js exports them.
declare module 'shpjs' {
  /** The geometries of a .shp, reprojected by proj4 from `prj` when it is a definition (false: as written). */
  export function parseShp(shp: DataView | ArrayBuffer | Uint8Array, prj?: string | false): unknown[];
  /** The attribute rows of a .dbf, decoded with the encoding a .cpg names (a TextDecoder label). */
  export function parseDbf(dbf: DataView | ArrayBuffer | Uint8Array, encoding?: string): Record<string, unknown>[];
}
