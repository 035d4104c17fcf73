// OGC API – Features (Part 1: Core, GeoJSON, OpenAPI 3.0) under /ogc: the query parameters of
// its routes, and the error body the standard's exception schema describes ({ code, description }).
import { z } from 'zod';

/** Page size when a request names none, and the most one page may hold. */
export const OGC_DEFAULT_LIMIT = 100;
export const OGC_MAX_LIMIT = 1000;

/** The collections the API serves, in the order the collections list names them. */
export const OGC_COLLECTIONS = ['subdistricts', 'communities', 'grids', 'blocks', 'cases', 'plan-drafts'] as const;
export type OgcCollectionId = (typeof OGC_COLLECTIONS)[number];

/** The standard's exception body. */
export const ogcException = z.object({ code: z.string(), description: z.string() });
export type OgcException = z.infer<typeof ogcException>;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * bbox=minLon,minLat,maxLon,maxLat in WGS 84 longitude/latitude (CRS84); six values (with a
 * height range) are accepted and the heights ignored, as every geometry here is 2D. A box that
 * crosses the antimeridian (minLon > maxLon) is refused: the city lies far from it.
 */
export const ogcBbox = z.string().transform((raw, ctx) => {
  const parts = raw.split(',');
  const bad = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (parts.length !== 4 && parts.length !== 6) return bad('应为 4 个数：最小经度,最小纬度,最大经度,最大纬度 (expected 4 numbers: minLon,minLat,maxLon,maxLat)');
  if (!parts.every((p) => NUMBER.test(p.trim()))) return bad('每个值都应为数字 (every value must be a number)');
  const n = parts.map(Number);
  const [minLon, minLat, maxLon, maxLat] = parts.length === 4 ? n : [n[0], n[1], n[3], n[4]];
  if (!n.every(Number.isFinite)) return bad('每个值都应为有限的数字 (every value must be a finite number)');
  if ([minLon, maxLon].some((x) => x < -180 || x > 180)) return bad('经度应在 -180 到 180 之间 (longitudes must lie within -180..180)');
  if ([minLat, maxLat].some((y) => y < -90 || y > 90)) return bad('纬度应在 -90 到 90 之间 (latitudes must lie within -90..90)');
  if (minLat > maxLat) return bad('最小纬度大于最大纬度 (minLat is greater than maxLat)');
  if (minLon > maxLon) return bad('不支持跨越 180° 经线的范围 (a box crossing the antimeridian, minLon > maxLon, is not supported)');
  return [minLon, minLat, maxLon, maxLat] as [number, number, number, number];
});

// RFC 3339 date-time (an offset or Z required), or a full date meaning that whole day in UTC.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One end of a datetime interval as [start, end] instants (ISO strings); null when not a valid time. */
function instant(s: string): [string, string] | null {
  const dt = DATE_TIME.exec(s);
  if (dt) {
    const [, y, mo, d, h, mi, sec] = dt.map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return null;
    const t = new Date(s.replace(/t/, 'T').replace(/z$/, 'Z'));
    if (Number.isNaN(t.getTime()) || t.getUTCFullYear() < 1 || y < 1) return null;
    // A day the month does not have (02-30) rolls over in Date: refused by comparing the local date.
    const local = new Date(Date.UTC(y, mo - 1, d));
    if (local.getUTCMonth() !== mo - 1) return null;
    return [t.toISOString(), t.toISOString()];
  }
  const day = DATE.exec(s);
  if (day) {
    const [, y, mo, d] = day.map(Number);
    const start = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1 || start.getUTCMonth() !== mo - 1 || start.getUTCDate() !== d) return null;
    const end = new Date(start.getTime() + 86_400_000 - 1);
    return [start.toISOString(), end.toISOString()];
  }
  return null;
}

/**
 * datetime: an instant ("2026-03-01T08:00:00Z"), a day ("2026-03-01"), or an interval of two
 * with "/" where ".." or nothing leaves an end open ("2026-03-01T00:00:00Z/..").
 * Parsed to the inclusive [start, end] the feature's time must fall in (null: unbounded).
 */
export const ogcDatetime = z.string().transform((raw, ctx) => {
  const bad = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  const usage = '应为 RFC 3339 时间（如 2026-03-01T08:00:00Z）或以 / 分隔的区间，开放端用 .. (expected an RFC 3339 date-time such as 2026-03-01T08:00:00Z, or an interval start/end with .. for an open end)';
  const parts = raw.split('/');
  if (parts.length > 2) return bad(usage);
  if (parts.length === 1) {
    const one = instant(parts[0]);
    if (!one) return bad(usage);
    return { start: one[0], end: one[1] };
  }
  const open = (s: string) => s === '' || s === '..';
  if (open(parts[0]) && open(parts[1])) return bad(`区间至少要有一端 (an interval needs at least one end); ${usage}`);
  const a = open(parts[0]) ? null : instant(parts[0]);
  const b = open(parts[1]) ? null : instant(parts[1]);
  if ((!open(parts[0]) && !a) || (!open(parts[1]) && !b)) return bad(usage);
  const start = a ? a[0] : null;
  const end = b ? b[1] : null;
  if (start && end && start > end) return bad('区间的开始晚于结束 (the interval starts after it ends)');
  return { start, end };
});

const formatParam = z.enum(['json', 'geojson'], { message: '只支持 f=json 或 f=geojson (only f=json or f=geojson is served)' });

/** Landing page, conformance, the API definition and the collections: only the format. */
export const ogcMetaQuery = z.object({ f: formatParam.optional() }).strict();

/** A collection's items. */
export const ogcItemsQuery = z.object({
  f: formatParam.optional(),
  bbox: ogcBbox.optional(),
  datetime: ogcDatetime.optional(),
  limit: z.string().regex(/^\d{1,7}$/, '应为整数 (expected an integer)').transform(Number)
    .pipe(z.number().int().min(1, '至少 1 条 (at least 1)').max(OGC_MAX_LIMIT, `最多 ${OGC_MAX_LIMIT} 条 (at most ${OGC_MAX_LIMIT} per page)`)).optional(),
  offset: z.string().regex(/^\d{1,7}$/, '应为 0–9999999 的整数 (expected an integer from 0 to 9999999)').transform(Number).optional(),
}).strict();
export type OgcItemsQuery = z.infer<typeof ogcItemsQuery>;
