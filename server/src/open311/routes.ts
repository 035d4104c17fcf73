// Open311 GeoReport v2 (read side) at /open311/v2: the city's case categories as services and
// its cases as service requests, for existing city systems and apps that speak the standard.
// Public reads carry no personal data: no phone, no names, no photos, no free-text description
// (a resident's words may name people), and the location rounded to about 100 m.
import { Hono } from 'hono';
import type { Context } from 'hono';
import { CASE_STATUS_LABELS, OPEN_STATUSES, type CaseStatus } from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';

/** The spec's default window when no date is given, and its page size. */
export const OPEN311_DEFAULT_DAYS = 90;
export const OPEN311_MAX_RESULTS = 1000;

/** The spec's error body: an array of {code, description}, with the same 4xx status. */
const fail = (c: Context, status: 400 | 404, description: string) =>
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

export function open311Routes(db: Db) {
  return new Hono()
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
