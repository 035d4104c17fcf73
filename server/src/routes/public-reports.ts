// The residents' report page's API (居民点单), reachable without an account:
//   GET  /public/categories             what a resident may report
//   POST /public/reports                file a case (JSON, or multipart with up to 4 photos)
//   GET  /public/reports/:token         the resident's own case, by the private follow token
//   POST /public/reports/:token/rate    rate the result once the case is closed
// Filing, the follow token and the abuse limits are in cases/public-reports.ts.
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import {
  PUBLIC_REPORT_LIMITS,
  PUBLIC_STATUS_LABELS,
  PUBLIC_STEP_ACTIONS,
  PUBLIC_STEP_LABELS,
  CASE_LEVEL_LABELS,
  followToken,
  publicRateBody,
  publicReportBody,
  type CaseLevel,
  type CaseStatus,
  type PublicCategory,
  type PublicRateResponse,
  type PublicReportCreated,
  type PublicReportStatus,
  type PublicStepAction,
} from '@grid-atlas/contract';
import type { Db } from '../db/index.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { INVALID_REQUEST, jsonBody, parseWith } from '../http/validate.ts';
import { clientIp } from '../http/client-ip.ts';
import { audit } from '../audit/index.ts';
import { appendEvent } from '../cases/lifecycle.ts';
import { filePublicReport, RateLimited, sha256 } from '../cases/public-reports.ts';
import { readPhotos, readSubmission } from '../cases/submission.ts';
import { idempotent } from '../http/idempotency.ts';

const conflict = (message: string) => new HTTPException(409, { message });

const CASE_SQL = `
  SELECT c.id, c.number, c.category_code AS category, cat.name AS category_name, c.description, c.status, c.level, c.rating,
         to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
         to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at,
         to_char(c.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS closed_at,
         c.version,
         (SELECT count(*)::int FROM case_photos p WHERE p.case_id = c.id) AS photos
    FROM public_reports r JOIN cases c ON c.id = r.case_id JOIN case_categories cat ON cat.code = c.category_code
   WHERE r.token_hash = $1`;

// What a resident sees of the events: status changes and the outcome, never who did them or
// the staff's internal notes (whistles, supervision, comments and warnings stay inside).
const TIMELINE_SQL = `
  SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, e.action, e.to_status,
         CASE WHEN e.action IN ('reject', 'mark_duplicate', 'close', 'rate') THEN e.payload ->> 'note' END AS note
    FROM case_events e
   WHERE e.case_id = $1
     AND e.action = ANY($2::text[])
   ORDER BY e.id`;


/** A case as CASE_SQL reads it (timestamps already as text). */
interface PublicCaseRow {
  id: number; number: string; category: string; category_name: string; description: string; status: CaseStatus; level: CaseLevel; rating: number | null;
  created_at: string; updated_at: string; closed_at: string | null; version: number; photos: number;
}

async function readCase(db: Db, token: string): Promise<PublicCaseRow | null> {
  const { rows } = await db.query<PublicCaseRow>(CASE_SQL, [sha256(token)]);
  return rows[0] ?? null;
}

function tokenOf(c: Context): string {
  const t = followToken.safeParse(c.req.param('token'));
  // An ill-formed token is the same "no such report" as a wrong one: nothing to probe.
  if (!t.success) throw notFound('没有找到这条反映，请检查链接是否完整 (no report for this link)');
  return t.data;
}

/** A link that cannot be a follow token is a 404 before anything else is read. */
const wellFormedToken = createMiddleware<AppEnv>(async (c, next) => {
  tokenOf(c);
  await next();
});

export function publicReportRoutes(db: Db, options: { trustProxy: boolean }) {
  return new Hono<AppEnv>()
    .get('/public/categories', async (c) => {
      const { rows } = await db.query<PublicCategory>(
        'SELECT code, name, group_name AS "group" FROM case_categories ORDER BY sort');
      c.header('Cache-Control', 'public, max-age=300');
      return c.json<{ categories: PublicCategory[] }>({ categories: rows });
    })
    .post('/public/reports', async (c) => {
      const { fields, files } = await readSubmission(c);
      // No account: the key alone (with the request it was sent with) identifies a retry.
      return idempotent(c, db, { scope: 'public:web', route: 'POST /api/public/reports', fields, files }, async (claim) => {
        const body = parseWith(publicReportBody, fields, INVALID_REQUEST);
        const photos = await readPhotos(files);
        const answer = (f: { number: string; token: string }) =>
          ({ number: f.number, token: f.token, follow: `/report/${f.token}` }) satisfies PublicReportCreated;
        const filed = await filePublicReport(db, {
          channel: 'web',
          source: `address:${clientIp(c, options.trustProxy)}`,
          actor: 'public:web',
          limits: PUBLIC_REPORT_LIMITS,
        }, body, photos, undefined, claim ? (client, f) => claim.save(client, 201, answer(f)) : undefined).catch((err) => {
          if (!(err instanceof RateLimited)) throw err;
          return err;
        });
        if (filed instanceof RateLimited) {
          c.header('Retry-After', String(filed.retryAfter));
          return c.json({ error: filed.message }, 429);
        }
        return c.json<PublicReportCreated, 201>(answer(filed), 201);
      });
    })
    .get('/public/reports/:token', async (c) => {
      const row = await readCase(db, tokenOf(c));
      if (!row) throw notFound('没有找到这条反映，请检查链接是否完整 (no report for this link)');
      const events = (await db.query<{ at: string; action: PublicStepAction; to_status: CaseStatus; note: string | null }>(
        TIMELINE_SQL, [row.id, PUBLIC_STEP_ACTIONS])).rows;
      const status = row.status;
      return c.json<PublicReportStatus>({
        number: row.number,
        category: row.category,
        category_name: row.category_name,
        description: row.description,
        status,
        status_label: PUBLIC_STATUS_LABELS[status],
        level: row.level,
        level_label: CASE_LEVEL_LABELS[row.level],
        created_at: row.created_at,
        updated_at: row.updated_at,
        closed_at: row.closed_at,
        photos: row.photos,
        timeline: events.map((e) => ({ at: e.at, action: e.action, label: PUBLIC_STEP_LABELS[e.action], note: e.note })),
        rating: row.rating,
        can_rate: status === 'closed' && row.rating === null,
      } satisfies PublicReportStatus);
    })
    .post('/public/reports/:token/rate', wellFormedToken, jsonBody(publicRateBody, INVALID_REQUEST), async (c) => {
      const token = tokenOf(c);
      const body = c.req.valid('json');
      const now = new Date();
      await db.withTransaction(async (client) => {
        const { rows } = await client.query<{ id: number; status: CaseStatus; rating: number | null; version: number }>(
          `SELECT c.id, c.status, c.rating, c.version FROM public_reports r JOIN cases c ON c.id = r.case_id
            WHERE r.token_hash = $1 FOR UPDATE OF c`, [sha256(token)]);
        const k = rows[0];
        if (!k) throw notFound('没有找到这条反映，请检查链接是否完整 (no report for this link)');
        if (k.status !== 'closed') throw conflict('办结后才能评价 (the case can be rated once it is closed)');
        if (k.rating !== null) throw conflict('您已经评价过了 (this case has been rated already)');
        await client.query(`UPDATE cases SET rating = $2, rated_at = $3, version = version + 1, updated_at = $3 WHERE id = $1`,
          [k.id, body.rating, now]);
        const eventId = await appendEvent(client, k.id, null, {
          action: 'rate', from: 'closed', to: 'closed', at: now, label: '居民',
          payload: { rating: body.rating, ...(body.note ? { note: body.note } : {}) },
        });
        await audit(client, { userId: null, actor: 'public:web', action: 'transition', entity: 'case', entityId: k.id,
          before: { status: k.status, version: k.version }, after: { status: k.status, version: k.version + 1, action: 'rate', event_id: eventId } });
      });
      return c.json<PublicRateResponse>({ ok: true, rating: body.rating });
    });
}
