// Open311 GeoReport v2 at /open311/v2: the city's case categories as services and its cases as
// service requests, for existing city systems and apps that speak the standard.
// Public reads carry no personal data: no phone, no names, no photos, no free-text description
// (a resident's words may name people), and the location rounded to about 100 m.
// POST requests.json files a case for a resident, as the spec describes: form fields (or JSON)
// with an api_key naming the calling system (GRID_ATLAS_OPEN311_KEYS); the same checks and limits
// as the residents' report page (cases/public-reports.ts), counted per key.
import { Hono } from 'hono';
import type { Context } from 'hono';
import crypto from 'node:crypto';
import { CASE_STATUS_LABELS, OPEN_STATUSES, publicReportBody, type CaseStatus } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import { describeZodError } from '../http/errors.ts';
import { isJsonContentType } from '../http/text-input.ts';
import { filePublicReport, RateLimited } from '../cases/public-reports.ts';
import { idempotent } from '../http/idempotency.ts';

/** Per API key: a hotline or app files for many residents, so far more than one address may. */
export const OPEN311_LIMITS = { perAddressHour: 600, perAddressDay: 5000, perPhoneDay: 5 } as const;

/** The spec's default window when no date is given, and its page size. */
export const OPEN311_DEFAULT_DAYS = 90;
export const OPEN311_MAX_RESULTS = 1000;

/** The spec's error body: an array of {code, description}, with the same 4xx status. */
const fail = (c: Context, status: 400 | 403 | 404 | 409 | 422 | 429, description: string) =>
  c.json([{ code: status, description }], status);

const openOrClosed = (s: CaseStatus) => (OPEN_STATUSES.includes(s) ? 'open' : 'closed');

interface ServiceRow { code: string; name: string; group_name: string }
interface RequestRow {
  number: string; category_code: string; category_name: string; status: CaseStatus;
  lon: number; lat: number; created_at: Date; updated_at: Date; closed_at: Date | null; resolved_at: Date | null;
}

const service = (r: ServiceRow) => ({
  service_code: r.code, service_name: r.name, description: r.name, metadata: false, type: 'realtime',
  keywords: '', group: r.group_name,
});

const request = (r: RequestRow) => ({
  service_request_id: r.number,
  status: openOrClosed(r.status),
  status_notes: CASE_STATUS_LABELS[r.status],
  service_name: r.category_name,
  service_code: r.category_code,
  requested_datetime: r.created_at.toISOString(),
  updated_datetime: r.updated_at.toISOString(),
  lat: Number(r.lat), long: Number(r.lon),
});

const REQUEST_COLUMNS = `c.number, c.category_code, k.name AS category_name, c.status,
  round(ST_X(c.geom)::numeric, 3)::float8 AS lon, round(ST_Y(c.geom)::numeric, 3)::float8 AS lat,
  c.created_at, c.updated_at, c.closed_at, c.resolved_at`;

/** "x.json" → "x"; anything else (another format, no extension) → null. */
const jsonName = (file: string) => (file.endsWith('.json') ? file.slice(0, -'.json'.length) : null);

function parseDate(v: string | undefined): Date | null | 'bad' {
  if (v === undefined || v === '') return null;
  // W3C / ISO 8601 date-times as the spec writes them
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return 'bad';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? 'bad' : d;
}

/** The system's name for a key, compared in constant time; null for a wrong or missing key. */
function systemFor(keys: Record<string, string>, given: unknown): string | null {
  if (typeof given !== 'string' || given.length === 0) return null;
  const g = crypto.createHash('sha256').update(given).digest();
  let found: string | null = null;
  for (const [key, name] of Object.entries(keys)) {
    if (crypto.timingSafeEqual(g, crypto.createHash('sha256').update(key).digest())) found = name;
  }
  return found;
}

async function readFields(c: Context): Promise<Record<string, unknown> | null> {
  const type = c.req.header('Content-Type') ?? '';
  try {
    if (isJsonContentType(type)) return (await c.req.json()) as Record<string, unknown>;
    if (/^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i.test(type)) {
      return (await c.req.parseBody()) as Record<string, unknown>;
    }
  } catch {
    return null;
  }
  return null;
}

export function open311Routes(db: Db, options: { keys: Record<string, string> } = { keys: {} }) {
  return new Hono()
    .post('/requests.json', async (c) => {
      const f = await readFields(c);
      if (!f) return fail(c, 400, '请以表单 (application/x-www-form-urlencoded) 或 JSON 提交 (send form fields or JSON)');
      const system = systemFor(options.keys, f.api_key);
      if (!system) return fail(c, 403, 'api_key 无效 (missing or invalid api_key)');
      const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined);
      const parsed = publicReportBody.safeParse({
        category: f.service_code,
        lon: num(f.long),
        lat: num(f.lat),
        description: f.description,
        ...(f.address_string ? { address: f.address_string } : {}),
        ...(f.phone ? { phone: f.phone } : {}),
      });
      if (!parsed.success) {
        // Our field names back to the spec's.
        const spec: Record<string, string> = { category: 'service_code', lon: 'long', address: 'address_string' };
        return fail(c, 400, describeZodError(parsed.error).replace(/\b(category|lon|address)\b/g, (k) => spec[k]));
      }
      // Idempotency-Key: per system (the api_key names it; the key itself is not part of the request).
      const { api_key: _key, ...request } = f;
      try {
        return await idempotent(c, db, { scope: `open311:${system}`, route: 'POST /open311/v2/requests.json', fields: request }, async (claim) => {
          const answer = (number: string) =>
            [{ service_request_id: number, service_notice: '已受理，将由所在网格办理 (received; the grid it lies in will handle it)', account_id: null }];
          const r = await filePublicReport(db, { channel: 'open311', source: `open311:${system}`, actor: `open311:${system}`, limits: OPEN311_LIMITS },
            parsed.data, [], undefined, claim ? (client, filed) => claim.save(client, 201, answer(filed.number)) : undefined);
          return c.json(answer(r.number), 201);
        });
      } catch (err) {
        if (err instanceof RateLimited) {
          c.header('Retry-After', String(err.retryAfter));
          return fail(c, 429, err.message);
        }
        const status = err instanceof Error && 'status' in err ? (err as { status: number }).status : 0;
        if (status === 400 || status === 409 || status === 422) return fail(c, status, err instanceof Error ? err.message : '');
        throw err;
      }
    })
    .get('/services.json', async (c) => {
      const { rows } = await db.query<ServiceRow>('SELECT code, name, group_name FROM case_categories ORDER BY code');
      return c.json(rows.map(service));
    })
    .get('/services/:file', async (c) => {
      const code = jsonName(c.req.param('file'));
      if (code === null) return fail(c, 400, '只支持 JSON (only .json is supported)');
      const { rows } = await db.query<ServiceRow>('SELECT code, name, group_name FROM case_categories WHERE code = $1', [code]);
      if (!rows[0]) return fail(c, 404, `没有这个服务 (no such service): ${code}`);
      // No extra attributes: a category needs only the place and the description.
      return c.json({ service_code: rows[0].code, attributes: [] });
    })
    .get('/requests.json', async (c) => {
      const q = c.req.query();
      const start = parseDate(q.start_date);
      const end = parseDate(q.end_date);
      if (start === 'bad' || end === 'bad') return fail(c, 400, '日期格式错误 (start_date/end_date must be ISO 8601)');
      if (q.status !== undefined && !['open', 'closed'].includes(q.status)) {
        return fail(c, 400, 'status 只能是 open 或 closed (status must be open or closed)');
      }
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => { params.push(value); where.push(sql.replace('?', `$${params.length}`)); };
      if (q.service_request_id) {
        // With ids the other filters are ignored, as the spec says.
        add('c.number = ANY(?::text[])', q.service_request_id.split(',').map((s) => s.trim()).slice(0, OPEN311_MAX_RESULTS));
      } else {
        if (q.service_code) add('c.category_code = ANY(?::text[])', q.service_code.split(',').map((s) => s.trim()));
        const from = start ?? (end ? new Date(end.getTime() - OPEN311_DEFAULT_DAYS * 86_400_000) : new Date(Date.now() - OPEN311_DEFAULT_DAYS * 86_400_000));
        add('c.created_at >= ?', from);
        if (end) add('c.created_at <= ?', end);
        if (q.status) add(q.status === 'open' ? 'c.status = ANY(?::text[])' : 'NOT (c.status = ANY(?::text[]))', [...OPEN_STATUSES]);
      }
      const { rows } = await db.query<RequestRow>(
        `SELECT ${REQUEST_COLUMNS} FROM cases c JOIN case_categories k ON k.code = c.category_code
          WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT ${OPEN311_MAX_RESULTS}`, params);
      return c.json(rows.map(request));
    })
    .get('/requests/:file', async (c) => {
      const id = jsonName(c.req.param('file'));
      if (id === null) return fail(c, 400, '只支持 JSON (only .json is supported)');
      const { rows } = await db.query<RequestRow>(
        `SELECT ${REQUEST_COLUMNS} FROM cases c JOIN case_categories k ON k.code = c.category_code WHERE c.number = $1`, [id]);
      if (!rows[0]) return fail(c, 404, `没有这个请求 (no such service request): ${id}`);
      // The spec answers a single request as a one-element array.
      return c.json([request(rows[0])]);
    })
    .all('*', (c) => fail(c, 404, `没有这个接口 (no such endpoint): ${c.req.method} ${c.req.path}`));
}
