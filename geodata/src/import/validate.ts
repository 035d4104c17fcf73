// validateBoundaries(): checks user-supplied boundaries (three FeatureCollections, e.g. the real
// polygons of a city replacing our synthetic ones) and normalises them to the dataset contract.
// Structure is checked with zod; codes, hierarchy and ring geometry with the checks below.
// Coverage (gaps/overlaps between grids) is checked later in PostGIS by the server, not here.
import { z } from 'zod';
import { polygon as turfPolygon } from '@turf/helpers';
import { kinks } from '@turf/kinks';
import type { MultiPolygon, Position, Polygon } from 'geojson';
import type { CommunityProps, GridProps, ImportedBoundaries, SubdistrictProps } from '../types.ts';

export type ValidationResult = { ok: true; boundaries: ImportedBoundaries } | { ok: false; errors: string[] };

export const MAX_ERRORS = 50;

const positionSchema = z.array(z.number()).min(2, 'a position needs at least [lon, lat]');
const ringSchema = z.array(positionSchema);
const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ringSchema).min(1, 'a polygon needs an exterior ring') }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ringSchema)).min(1, 'empty MultiPolygon') }),
]);
const nonEmpty = z.string().trim().min(1, 'must be a non-empty string');
const featureSchema = <T extends z.ZodRawShape>(props: T) =>
  z.object({
    type: z.literal('Feature'),
    properties: z.object(props),
    geometry: geometrySchema,
  });
const subdistrictFeature = featureSchema({
  code: z.string().regex(/^\d{9}$/, 'subdistrict code must be 9 digits'),
  name: nonEmpty,
  synthetic: z.boolean().optional(),
});
const communityFeature = featureSchema({
  code: z.string().regex(/^\d{12}$/, 'community code must be 12 digits'),
  name: nonEmpty,
  full_name: nonEmpty.optional(),
  subdistrict_code: z.string().regex(/^\d{9}$/, 'subdistrict_code must be 9 digits'),
  synthetic: z.boolean().optional(),
});
const gridFeature = featureSchema({
  code: z.string().regex(/^\d{15}$/, 'grid code must be 15 digits (community code + 3 digits)'),
  number: z.number().int().positive().optional(),
  name: nonEmpty,
  community_code: z.string().regex(/^\d{12}$/, 'community_code must be 12 digits'),
  synthetic: z.boolean().optional(),
});
const collectionSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });
const inputSchema = z.object({
  subdistricts: collectionSchema,
  communities: collectionSchema,
  grids: collectionSchema,
});

type Layer = 'subdistricts' | 'communities' | 'grids';

function codeOf(f: unknown): string | null {
  const c = (f as { properties?: { code?: unknown } } | null)?.properties?.code;
  return typeof c === 'string' || typeof c === 'number' ? String(c) : null;
}

function where(layer: Layer, i: number, code: string | null): string {
  return `${layer}.geojson feature ${i}${code ? ` (code ${code})` : ''}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Checks one polygon's rings; returns the normalised polygon (RFC 7946 winding) or errors. */
function checkPolygon(rings: Position[][], errors: string[], prefix: string): Polygon | null {
  const before = errors.length;
  const out: Position[][] = [];
  rings.forEach((ring, r) => {
    const label = r === 0 ? 'exterior ring' : `hole ${r}`;
    for (let k = 0; k < ring.length; k++) {
      const [lon, lat] = ring[k];
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        errors.push(`${prefix}: ${label} position ${k} is not a finite number`);
        return;
      }
      if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        errors.push(`${prefix}: ${label} position ${k} [${lon}, ${lat}] is outside lon -180..180 / lat -90..90 (are the coordinates projected or swapped?)`);
        return;
      }
    }
    if (ring.length < 4) {
      errors.push(`${prefix}: ${label} has ${ring.length} positions; a closed ring needs at least 4`);
      return;
    }
    const a = ring[0];
    const b = ring[ring.length - 1];
    if (a[0] !== b[0] || a[1] !== b[1]) {
      errors.push(`${prefix}: ${label} is not closed (first position [${a[0]}, ${a[1]}] differs from last [${b[0]}, ${b[1]}])`);
      return;
    }
    const clean = ring.map((p) => [p[0], p[1]]);
    // RFC 7946: exterior counter-clockwise, holes clockwise
    const ccw = signedArea(clean) > 0;
    out.push(ccw === (r === 0) ? clean : clean.reverse());
  });
  if (errors.length > before) return null;
  const poly: Polygon = { type: 'Polygon', coordinates: out };
  const k = kinks(turfPolygon(out));
  if (k.features.length > 0) {
    const [lon, lat] = k.features[0].geometry.coordinates;
    errors.push(`${prefix}: polygon self-intersects at [${lon}, ${lat}]${k.features.length > 1 ? ` and ${k.features.length - 1} more place(s)` : ''}`);
    return null;
  }
  if (out.some((ring) => signedArea(ring) === 0)) {
    errors.push(`${prefix}: a ring has zero area`);
    return null;
  }
  return poly;
}

/** A problem of a polygon's rings, and the position it is at. */
export interface PolygonProblem {
  message: string;
  at: Position;
}

/**
 * The rings of a Polygon or MultiPolygon that are no rings at all, each with where it is: fewer
 * than 4 positions, or not closed. Such input is not a geometry PostGIS can judge (ST_IsValid
 * answers for closed rings), so a caller checks this before handing it over, and leaves
 * self-intersections and overlapping parts to ST_IsValid (a ring touching itself at a vertex,
 * which kinks() reports, is valid there).
 */
export function polygonProblems(geom: Polygon | MultiPolygon): PolygonProblem[] {
  const parts = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const problems: PolygonProblem[] = [];
  parts.forEach((rings, i) => {
    const part = parts.length > 1 ? `part ${i + 1} ` : '';
    rings.forEach((ring, r) => {
      const label = `${part}${r === 0 ? 'exterior ring' : `hole ${r}`}`;
      if (ring.length < 4) {
        problems.push({ message: `${label} has ${ring.length} positions; a closed ring needs at least 4`, at: ring[0] ?? [0, 0] });
        return;
      }
      const a = ring[0];
      const b = ring[ring.length - 1];
      if (a[0] !== b[0] || a[1] !== b[1]) {
        problems.push({ message: `${label} is not closed (first position [${a[0]}, ${a[1]}] differs from last [${b[0]}, ${b[1]}])`, at: b });
      }
    });
  });
  return problems;
}

function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

/**
 * A Polygon, or a MultiPolygon whose every part passes the polygon checks. A one-part
 * MultiPolygon becomes a Polygon; a real multi-part unit (an exclave) stays a MultiPolygon
 * end to end. Whether its parts overlap each other is PostGIS's ST_IsValid's call, later.
 */
function checkGeometry(geom: z.infer<typeof geometrySchema>, errors: string[], prefix: string): Polygon | MultiPolygon | null {
  if (geom.type === 'MultiPolygon') {
    if (geom.coordinates.length === 1) return checkPolygon(geom.coordinates[0], errors, prefix);
    const parts = geom.coordinates.map((rings, i) => checkPolygon(rings, errors, `${prefix} part ${i + 1}`));
    if (parts.some((p) => p === null)) return null;
    return { type: 'MultiPolygon', coordinates: parts.map((p) => p!.coordinates) };
  }
  return checkPolygon(geom.coordinates, errors, prefix);
}

export function validateBoundaries(input: unknown): ValidationResult {
  const top = inputSchema.safeParse(input);
  if (!top.success) {
    return {
      ok: false,
      errors: top.error.issues.slice(0, MAX_ERRORS).map((i) => {
        const [layer, ...rest] = i.path.map(String);
        const file = layer ? `${layer}${['subdistricts', 'communities', 'grids'].includes(layer) ? '.geojson' : ''}` : 'input';
        const path = rest.join('.');
        return `${file}: ${path ? `${path}: ` : ''}${i.message}${layer && !path && i.code === 'invalid_type' ? ' (expected a GeoJSON FeatureCollection)' : ''}`;
      }),
    };
  }
  const errors: string[] = [];
  const data = top.data;

  const subdistricts: ImportedBoundaries['subdistricts'] = { type: 'FeatureCollection', features: [] };
  const communities: ImportedBoundaries['communities'] = { type: 'FeatureCollection', features: [] };
  const grids: ImportedBoundaries['grids'] = { type: 'FeatureCollection', features: [] };

  const parseLayer = <S extends z.ZodType>(layer: Layer, schema: S, each: (f: z.infer<S>, geometry: Polygon | MultiPolygon, prefix: string, i: number) => void) => {
    const seen = new Map<string, number>();
    data[layer].features.forEach((raw, i) => {
      const prefix = where(layer, i, codeOf(raw));
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) errors.push(`${prefix}: ${describeIssue(issue)}`);
        return;
      }
      const code = codeOf(raw)!;
      const first = seen.get(code);
      if (first !== undefined) errors.push(`${prefix}: duplicate code (also used by feature ${first})`);
      else seen.set(code, i);
      const geometry = checkGeometry((parsed.data as { geometry: z.infer<typeof geometrySchema> }).geometry, errors, prefix);
      if (geometry && first === undefined) each(parsed.data, geometry, prefix, i);
    });
    if (data[layer].features.length === 0) errors.push(`${layer}.geojson: the collection has no features`);
  };

  parseLayer('subdistricts', subdistrictFeature, (f, geometry) => {
    const properties: SubdistrictProps = { code: f.properties.code, name: f.properties.name.trim(), synthetic: f.properties.synthetic ?? false };
    subdistricts.features.push({ type: 'Feature', properties, geometry });
  });
  const subCodes = new Set(subdistricts.features.map((f) => f.properties.code));
  parseLayer('communities', communityFeature, (f, geometry, prefix) => {
    const p = f.properties;
    let bad = false;
    if (!subCodes.has(p.subdistrict_code)) {
      errors.push(`${prefix}: subdistrict_code ${p.subdistrict_code} does not exist in subdistricts`);
      bad = true;
    }
    if (!p.code.startsWith(p.subdistrict_code)) {
      errors.push(`${prefix}: code ${p.code} does not start with its subdistrict_code ${p.subdistrict_code}`);
      bad = true;
    }
    if (bad) return;
    const properties: CommunityProps = {
      code: p.code,
      name: p.name.trim(),
      full_name: (p.full_name ?? p.name).trim(),
      subdistrict_code: p.subdistrict_code,
      synthetic: p.synthetic ?? false,
    };
    communities.features.push({ type: 'Feature', properties, geometry });
  });
  const communityCodes = new Set(communities.features.map((f) => f.properties.code));
  parseLayer('grids', gridFeature, (f, geometry, prefix) => {
    const p = f.properties;
    let bad = false;
    if (!communityCodes.has(p.community_code)) {
      errors.push(`${prefix}: community_code ${p.community_code} does not exist in communities`);
      bad = true;
    }
    if (!p.code.startsWith(p.community_code)) {
      errors.push(`${prefix}: code ${p.code} does not start with its community_code ${p.community_code}`);
      bad = true;
    }
    if (bad) return;
    const number = Number(p.code.slice(12));
    if (p.number !== undefined && p.number !== number) {
      errors.push(`${prefix}: number ${p.number} does not match the last 3 digits of the code (${number})`);
      return;
    }
    if (number < 1) {
      errors.push(`${prefix}: grid number 000 is not allowed (numbers start at 001)`);
      return;
    }
    const properties: GridProps = { code: p.code, number, name: p.name.trim(), community_code: p.community_code, synthetic: p.synthetic ?? false };
    grids.features.push({ type: 'Feature', properties, geometry });
  });

  // every parent needs children (only meaningful for parents that passed their own checks)
  const communitiesPer = new Map<string, number>();
  for (const c of communities.features) communitiesPer.set(c.properties.subdistrict_code, (communitiesPer.get(c.properties.subdistrict_code) ?? 0) + 1);
  const gridsPer = new Map<string, number>();
  for (const g of grids.features) gridsPer.set(g.properties.community_code, (gridsPer.get(g.properties.community_code) ?? 0) + 1);
  const rawIndex = (layer: Layer, code: string) => data[layer].features.findIndex((f) => codeOf(f) === code);
  for (const s of subdistricts.features) {
    if (!communitiesPer.has(s.properties.code) && !data.communities.features.some((f) => (f as { properties?: { subdistrict_code?: unknown } })?.properties?.subdistrict_code === s.properties.code)) {
      errors.push(`${where('subdistricts', rawIndex('subdistricts', s.properties.code), s.properties.code)}: subdistrict ${s.properties.name} has no communities`);
    }
  }
  for (const c of communities.features) {
    if (!gridsPer.has(c.properties.code) && !data.grids.features.some((f) => (f as { properties?: { community_code?: unknown } })?.properties?.community_code === c.properties.code)) {
      errors.push(`${where('communities', rawIndex('communities', c.properties.code), c.properties.code)}: community ${c.properties.name} has no grids`);
    }
  }

  if (errors.length > 0) {
    if (errors.length <= MAX_ERRORS) return { ok: false, errors };
    const shown = errors.slice(0, MAX_ERRORS - 1);
    shown.push(`... and ${errors.length - shown.length} more errors (only the first ${shown.length} are shown)`);
    return { ok: false, errors: shown };
  }
  return { ok: true, boundaries: { subdistricts, communities, grids } };
}
