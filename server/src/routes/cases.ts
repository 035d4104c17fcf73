// Live cases: filing (JSON, or multipart with photos), the scoped list and detail, actions that
// move a case along the contract's transition table, its photos, and the category catalogue.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  CASE_LEVELS, CASE_STATUSES, OPEN_STATUSES, allowedActions, caseActionBody, caseCountsQuery, casePartBody, categoryCode, deliberationStepBody, newCaseBody,
  type CaseActionResponse, type CaseCategory, type CaseCounts, type CaseDetail, type CaseEvent, type CaseHolding, type CasePage, type CasePartsResponse,
  type CasePartyMember, type CasePhoto, type CaseRow, type CaseWhistle, type DeliberationResponse, type FiledCase, type UnitSuggestion,
} from '@grid-atlas/contract';
import { seesPersonalData } from '@grid-atlas/contract';
import type { User } from '../auth/scope.ts';
import { filedAnswer, submitCase } from '../cases/filing.ts';
import { actorOf, applyAction, loadHolding } from '../cases/lifecycle.ts';
import { DUPLICATE_METRES, nearBox } from '../cases/locate.ts';
import { readPhotos, readSubmission } from '../cases/submission.ts';
import { assertDepartment, assertVisible, caseInScope, caseScopeParams, reporterKindOf } from '../auth/scope.ts';
import { suggestUnits } from '../resources/matching.ts';
import { partnerUnits } from '../cases/partners.ts';
import { actOnPart, departmentRouting, loadDeliberation, loadPartners, mayDeliberate, recordDeliberationStep } from '../cases/modes.ts';
import { casePower } from './powers.ts';
import type { Db, Queryable } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { idempotent } from '../http/idempotency.ts';
import { idParam } from '@grid-atlas/contract';
import { INVALID_REQUEST, jsonBody, parseWith, pathId, validQuery } from '../http/validate.ts';

// Body limits (21 MB for filing with photos, the 64 KB default for actions) are applied to every
// API route in one place, http/body-limit.ts: two limits on one request would read its stream twice.

/** zod's own wording is English only: lead with the Chinese for the person reading it. */

const caseId = (raw: string) => pathId(raw);
/** A JSON body parsed with the contract's schema; a refusal leads with the Chinese. */
const validBody = <S extends z.ZodType>(schema: S) => jsonBody(schema, INVALID_REQUEST);
const csv = <T extends string>(values: readonly T[], what: string) => z.string().transform((s, ctx) => {
  const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const p of parts) {
    if (!values.includes(p as T)) ctx.addIssue({ code: 'custom', message: `未知的${what} (unknown ${what}): ${p}` });
  }
  return parts as T[];
});

export const listQuery = z.object({
  status: csv(CASE_STATUSES, '状态').optional(),
  category: categoryCode.optional(),
  level: z.enum(CASE_LEVELS).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  grid: idParam.optional(),
  community: idParam.optional(),
  subdistrict: idParam.optional(),
  department: idParam.optional(),
  q: z.string().trim().min(1).max(50, '搜索词最多 50 个字符 (search text: at most 50 characters)').optional(),
  near: z.string().regex(/^-?\d{1,3}(\.\d+)?,-?\d{1,2}(\.\d+)?$/, '应为 经度,纬度 (expected lon,lat)')
    .transform((s) => s.split(',').map(Number) as [number, number])
    .refine(([lon, lat]) => Math.abs(lon) <= 180 && Math.abs(lat) <= 90, '经纬度超出范围 (lon,lat out of range)').optional(),
  limit: z.string().regex(/^\d{1,4}$/, '应为整数 (expected an integer)').transform(Number)
    .pipe(z.number().int().min(1).max(200, '最多 200 条 (at most 200 per page)')).optional(),
  offset: z.string().regex(/^\d{1,7}$/, '应为 0–9999999 的整数 (expected an integer from 0 to 9999999)').transform(Number).optional(),
}).strict();

// Overdue is derived: the running stage's deadline has passed and the case is not resolved.
const OVERDUE = `(c.deadline IS NOT NULL AND c.deadline < now() AND c.status = ANY ('{${OPEN_STATUSES.join(',')}}'::text[]))`;

const SUMMARY_COLUMNS = `
  c.id, c.number, c.category_code AS category, cat.name AS category_name, c.priority, c.description,
  ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.address, c.reporter_phone, c.reporter_kind, c.reporter_user_id,
  c.status, c.mode, c.level, c.max_level, c.escalation_count,
  c.assigned_department_id, c.assigned_cadre_id, c.assigned_grid_id, c.duplicate_of, c.deadline, ${OVERDUE} AS overdue,
  c.rating, c.grid_id, c.community_id, c.subdistrict_id, c.created_at, c.updated_at, c.resolved_at, c.closed_at, c.version`;

const LIST_SQL = `
  SELECT ${SUMMARY_COLUMNS},
         CASE WHEN $16::float8 IS NULL THEN NULL
              ELSE round(ST_Distance(c.geom::geography, ST_SetSRID(ST_MakePoint($16::float8, $17::float8), 4326)::geography)) END AS distance_m,
         count(*) OVER () AS total
    FROM cases c JOIN case_categories cat ON cat.code = c.category_code
   WHERE ${caseInScope(1)}
     AND ($8::text[] IS NULL OR c.status = ANY ($8))
     AND ($9::text IS NULL OR c.category_code = $9)
     AND ($10::text IS NULL OR c.level = $10)
     AND ($11::boolean IS NULL OR ${OVERDUE} = $11)
     AND ($12::int IS NULL OR c.grid_id = $12)
     AND ($13::int IS NULL OR c.community_id = $13)
     AND ($14::int IS NULL OR c.subdistrict_id = $14)
     AND ($15::int IS NULL OR c.assigned_department_id = $15
          OR EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = c.id AND w.department_id = $15)
          OR EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = c.id AND cu.department_id = $15))
     AND ($16::float8 IS NULL OR (c.geom && ${nearBox('$16::float8', '$17::float8', '$18::float8')}
                                  AND ST_DWithin(c.geom::geography, ST_SetSRID(ST_MakePoint($16::float8, $17::float8), 4326)::geography, $18)))
     AND ($19::text IS NULL OR c.number LIKE $19 OR c.description LIKE $19)
   ORDER BY distance_m NULLS LAST, c.created_at DESC, c.id DESC
   LIMIT $20 OFFSET $21`;

/** A timestamp as the answer carries it (what JSON makes of a Date). */
const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

/** A case as SUMMARY_COLUMNS selects it: timestamps as the driver reads them, every column present. */
type CaseDbRow = Omit<CaseRow, 'deadline' | 'created_at' | 'updated_at' | 'resolved_at' | 'closed_at' | 'address' | 'reporter_phone' | 'distance_m'> & {
  deadline: Date | null; created_at: Date; updated_at: Date; resolved_at: Date | null; closed_at: Date | null;
  address: string | null; reporter_phone: string | null; distance_m?: number | null; total?: number;
};

/** Addresses and the reporter's phone are personal: only for roles that see personal data, and the filer. */
export function present(u: User, row: CaseDbRow): CaseRow {
  const { total: _t, reporter_phone, address, distance_m, ...rest } = row;
  const out: CaseRow = {
    ...rest,
    deadline: isoOrNull(rest.deadline), created_at: iso(rest.created_at), updated_at: iso(rest.updated_at),
    resolved_at: isoOrNull(rest.resolved_at), closed_at: isoOrNull(rest.closed_at),
  };
  if (seesPersonalData(u.role) || row.reporter_user_id === u.id) Object.assign(out, { address, reporter_phone });
  if (distance_m !== null && distance_m !== undefined) out.distance_m = distance_m;
  return out;
}

/**
 * The case (in the user's scope, else 404) when the user may dispatch it now, else 403 with
 * `refusal`: who may see whom a case could go to is whoever dispatches it.
 */
async function dispatchable(db: Db, u: User, id: number, refusal: string) {
  const seen = await db.query<{ grid_id: number; community_id: number; category_code: string; description: string }>(
    `SELECT c.grid_id, c.community_id, c.category_code, c.description FROM cases c WHERE c.id = $8 AND ${caseInScope(1)}`, [...caseScopeParams(u), id]);
  if (!seen.rows[0]) throw notFound(`该案件不存在或不在您的管辖范围内 (no case with id ${id} in your scope)`);
  const holding = await loadHolding(db, u, id);
  if (!holding || !allowedActions(holding as CaseHolding, actorOf(u)).includes('dispatch')) throw new HTTPException(403, { message: refusal });
  return seen.rows[0];
}

export type CaseListQuery = z.output<typeof listQuery>;

/**
 * The user's cases that match the list filters, one page of them (the list, and the export,
 * which asks for every row). A filter naming a unit that does not exist, or one outside the
 * user's area, is a 404.
 */
export async function listCases(db: Queryable, u: User, q: CaseListQuery, limit: number, offset: number): Promise<CasePage> {
  await assertVisible(db, u, 'subdistrict', q.subdistrict);
  await assertVisible(db, u, 'community', q.community);
  await assertVisible(db, u, 'grid', q.grid);
  await assertDepartment(db, u, q.department);
  const near = q.near ?? null;
  // Near a point, the question is "is this already reported?": open cases unless asked otherwise.
  const statuses = q.status ?? (near ? [...OPEN_STATUSES] : null);
  const pattern = q.q ? `%${q.q.replace(/[\\%_]/g, (m: string) => `\\${m}`)}%` : null;
  const { rows } = await db.query<CaseDbRow>(LIST_SQL, [
    ...caseScopeParams(u), statuses, q.category ?? null, q.level ?? null,
    q.overdue === undefined ? null : q.overdue === 'true', q.grid ?? null, q.community ?? null, q.subdistrict ?? null,
    q.department ?? null, near?.[0] ?? null, near?.[1] ?? null, DUPLICATE_METRES, pattern, limit, offset,
  ]);
  return { total: rows[0]?.total ?? 0, cases: rows.map((r) => present(u, r)) };
}

// Every category in display order with how many of its cases the caller sees under the filters:
// the scope and the status and area filters are GET /api/cases's own.
const COUNTS_SQL = `
  SELECT cat.code, cat.name, count(c.id)::int AS count
    FROM case_categories cat
    LEFT JOIN cases c ON c.category_code = cat.code AND ${caseInScope(1)}
     AND ($8::text[] IS NULL OR c.status = ANY ($8))
     AND ($9::int IS NULL OR c.grid_id = $9)
     AND ($10::int IS NULL OR c.community_id = $10)
     AND ($11::int IS NULL OR c.subdistrict_id = $11)
   GROUP BY cat.code, cat.name, cat.sort
   ORDER BY cat.sort, cat.code`;

export function caseRoutes(db: Db) {
  return new Hono<AppEnv>()
    .get('/case-categories', async (c) => {
      const { rows } = await db.query<CaseCategory>(
        `SELECT cat.code, cat.name, cat.group_name AS "group", cat.default_mode, cat.default_level, cat.default_department_code,
                cat.working_hours,
                json_object_agg(l.priority, json_build_object('dispatch', l.dispatch_minutes, 'claim', l.claim_minutes,
                                                              'handling', l.handling_minutes, 'verification', l.verification_minutes)) AS limits
           FROM case_categories cat JOIN case_category_limits l ON l.category_code = cat.code
          GROUP BY cat.code ORDER BY cat.sort`);
      c.header('Cache-Control', 'private, max-age=300');
      return c.json<{ categories: CaseCategory[] }>({ categories: rows });
    })
    .post('/cases', async (c) => {
      const u = c.get('user');
      // Who may file is decided before the body is read.
      if (!reporterKindOf(u)) throw new HTTPException(403, { message: '此角色不能上报案件 (this role does not file cases)' });
      const { fields, files } = await readSubmission(c);
      return idempotent(c, db, { scope: `user:${u.id}`, route: 'POST /api/cases', fields, files }, async (claim) => {
        const body = parseWith(newCaseBody, fields, INVALID_REQUEST);
        const photos = await readPhotos(files);
        return c.json<FiledCase, 201>(filedAnswer(await submitCase(db, u, body, photos, undefined, claim)), 201);
      });
    })
    .get('/cases', validQuery(listQuery), async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      return c.json<CasePage>(await listCases(db, u, q, q.limit ?? 50, q.offset ?? 0));
    })
    .get('/cases/by-category', validQuery(caseCountsQuery), async (c) => {
      const q = c.req.valid('query');
      const { rows } = await db.query<{ code: string; name: string; count: number }>(COUNTS_SQL,
        [...caseScopeParams(c.get('user')), q.status ?? null, q.grid ?? null, q.community ?? null, q.subdistrict ?? null]);
      return c.json<CaseCounts>({ categories: rows });
    })
    .get('/cases/:id', async (c) => {
      const u = c.get('user');
      const id = caseId(c.req.param('id'));
      const { rows } = await db.query<CaseDbRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM cases c JOIN case_categories cat ON cat.code = c.category_code WHERE c.id = $8 AND ${caseInScope(1)}`,
        [...caseScopeParams(u), id]);
      if (!rows[0]) throw notFound(`该案件不存在或不在您的管辖范围内 (no case with id ${id} in your scope)`);
      const [events, whistles, photos, holding] = [
        await db.query<Omit<CaseEvent, 'at'> & { at: Date }>(`SELECT id, at, actor_user_id, actor_label, action, from_status, to_status, payload FROM case_events WHERE case_id = $1 ORDER BY id`, [id]),
        await db.query<Omit<CaseWhistle, 'whistled_at' | 'reported_at'> & { whistled_at: Date; reported_at: Date | null }>(`SELECT w.department_id, d.name AS department_name, w.whistled_at, w.reported_at
                          FROM case_whistles w JOIN departments d ON d.id = w.department_id WHERE w.case_id = $1 ORDER BY w.id`, [id]),
        await db.query<Omit<CasePhoto, 'created_at'> & { created_at: Date }>(`SELECT id, mime, size, width, height, created_at FROM case_photos WHERE case_id = $1 ORDER BY id`, [id]),
        await loadHolding(db, u, id),
      ];
      // The units this case may be whistled to: its community's 大党委 units (包保).
      const units = await partnerUnits(db, rows[0].community_id);
      // The delegated power (权力下放清单) the case falls under, and whether the subdistrict holds it.
      const power = await casePower(db, rows[0].category);
      // 协商议办: the case's 四方共议 deliberation, when one was opened.
      const deliberation = await loadDeliberation(db, id, holding ? mayDeliberate(holding, u) : false);
      // 部门认责承办: the department the 权力清单 (else the category) names, and why.
      const department_routing = await departmentRouting(db, rows[0].category);
      // 领导领办 / 大党委交办: the leader and the units, and the caller's unit's part actions.
      const partners = await loadPartners(db, id, u, rows[0].status);
      const cityLeader = (await db.query<{ city_leader: string }>('SELECT city_leader FROM community_partners WHERE community_id = $1', [rows[0].community_id])).rows[0]?.city_leader ?? null;
      return c.json<CaseDetail>({
        case: present(u, rows[0]),
        events: events.rows.map((e) => ({ ...e, at: iso(e.at) })),
        whistles: whistles.rows.map((w) => ({ ...w, whistled_at: iso(w.whistled_at), reported_at: isoOrNull(w.reported_at) })),
        photos: photos.rows.map((p) => ({ ...p, created_at: iso(p.created_at) })),
        whistle_units: units,
        power,
        deliberation,
        department_routing,
        city_leader: cityLeader,
        leader: partners.leader,
        units: partners.units,
        part_actions: partners.part_actions,
        allowed_actions: holding ? allowedActions(holding as CaseHolding, actorOf(u)) : [],
      });
    })
    .post('/cases/:id/actions', validBody(caseActionBody), async (c) => {
      const u = c.get('user');
      const id = caseId(c.req.param('id'));
      const r = await applyAction(db, u, id, c.req.valid('json'));
      return c.json<CaseActionResponse>({ id, status: r.status, version: r.version, event_id: r.eventId });
    })
    // 协商议办: the next step of the case's 四方共议 deliberation (the 64 KB default body limit).
    .post('/cases/:id/deliberation', validBody(deliberationStepBody), async (c) => {
      const u = c.get('user');
      const id = caseId(c.req.param('id'));
      return c.json<DeliberationResponse>({ deliberation: await recordDeliberationStep(db, u, id, c.req.valid('json')) });
    })
    // 大党委联动交办: a member unit's staff claim or report their unit's part (the 64 KB default body limit).
    .post('/cases/:id/parts', validBody(casePartBody), async (c) => {
      const u = c.get('user');
      const id = caseId(c.req.param('id'));
      return c.json<CasePartsResponse>(await actOnPart(db, u, id, c.req.valid('json')));
    })
    // The party members a dispatcher may assign this case to: those of the case's grid, as the
    // dispatch action requires. Only for a user who may dispatch the case now.
    .get('/cases/:id/party-members', async (c) => {
      const seen = await dispatchable(db, c.get('user'), caseId(c.req.param('id')), '只有此案件的派单人可以选择承办党员 (only the dispatcher of this case picks a party member)');
      const { rows } = await db.query<CasePartyMember>(
        `SELECT m.id, m.name, m.kind,
                (SELECT count(*) FROM cadre_household_links l WHERE l.cadre_id = m.id) AS households,
                coalesce(o.n, 0) AS open_cases
           FROM cadres m
           LEFT JOIN (SELECT assigned_cadre_id AS id, count(*) AS n FROM cases
                       WHERE assigned_cadre_id IS NOT NULL AND status IN ('dispatched', 'claimed', 'in_progress')
                       GROUP BY 1) o ON o.id = m.id
          WHERE m.grid_id = $1 AND m.kind IN ('in_service', 'sunk')
          ORDER BY m.kind, m.name, m.id`, [seen.grid_id]);
      return c.json<{ members: CasePartyMember[] }>({ members: rows });
    })
    .get('/cases/:id/suggestions', async (c) => {
      const seen = await dispatchable(db, c.get('user'), caseId(c.req.param('id')), '只有此案件的派单人可以查看推荐单位 (only the dispatcher of this case sees the suggested units)');
      return c.json<{ suggestions: UnitSuggestion[] }>({ suggestions: await suggestUnits(db, { category: seen.category_code, community: seen.community_id, text: seen.description }) });
    })
    .get('/cases/:id/photos/:photoId', validQuery(z.object({ thumb: z.enum(['1', '0']).optional() }).strict()), async (c) => {
      const u = c.get('user');
      const id = caseId(c.req.param('id'));
      const photoId = pathId(c.req.param('photoId'), 'photoId');
      const q = c.req.valid('query');
      const thumb = q.thumb === '1';
      const { rows } = await db.query<{ mime: string; sha256: string; bytes: Uint8Array }>(
        `SELECT p.mime, p.sha256, ${thumb ? 'p.thumbnail' : 'p.image'} AS bytes
           FROM case_photos p JOIN cases c ON c.id = p.case_id
          WHERE p.id = $9 AND p.case_id = $8 AND ${caseInScope(1)}`,
        [...caseScopeParams(u), id, photoId]);
      if (!rows[0]) throw notFound('照片不存在 (no such photo)');
      const etag = `"${rows[0].sha256.slice(0, 24)}${thumb ? '-t' : ''}"`;
      // Private: a shared cache must never hand a case photo to someone outside its scope.
      c.header('Cache-Control', 'private, max-age=86400');
      c.header('ETag', etag);
      if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
      c.header('Content-Type', thumb ? 'image/jpeg' : rows[0].mime);
      return c.body(new Uint8Array(rows[0].bytes));
    });
}
