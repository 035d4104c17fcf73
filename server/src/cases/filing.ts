// Filing a case: where the point lies, the category, possible duplicates nearby, then the case,
// its photos, its submit event and its audit entry — for many filings at once.
//
// Filings arriving together are filed together (group commit). A filing joins a queue; while
// fewer than MAX_RUNNING batches are at the database, the queue is taken whole (up to
// MAX_BATCH) and filed with ONE read statement and ONE insert statement, whatever its size. A
// lone filing therefore waits for nothing (it is a batch of one), and under load the cost a
// statement carries (a round trip, planning, a commit and its WAL flush) is shared by every
// filing in it instead of paid by each. The insert is one statement, so a batch commits whole
// or not at all; when it fails, each of its filings is filed again on its own, so one filing at
// fault (or refused: outside the city, outside the filer's area, unknown category) never takes
// the others with it. Nothing is acknowledged before its statement has committed.
import os from 'node:os';
import { HTTPException } from 'hono/http-exception';
import { OPEN_STATUSES, REPORTER_KIND_LABELS, type NewCaseBody, type ReporterKind } from '@grid-atlas/contract';
import type { User } from '../auth/scope.ts';
import { prepared, type Db, type Queryable } from '../db/index.ts';
import { badRequest } from '../http/errors.ts';
import { nextCaseNumber } from './numbers.ts';
import type { ProcessedPhoto } from './photos.ts';
import { caseScopeParams, caseVisibleTo, filesOnlyInOwnArea, reporterKindOf } from './scope.ts';
import {
  actorLabel, categorySql, DUPLICATE_METRES, filingCategory, locateSql, nearBox, SNAP_METRES, startStage,
  type FilingCategory, type Located,
} from './service.ts';

/** Filings taken into one batch at most. */
export const MAX_BATCH = 64;
/**
 * Batches at the database at once. While one is at the database this process's one thread
 * reads, checks and answers the requests around it, so that thread keeps a core busy; a second
 * batch at once only pays where the database has another core to run it on. On 2 cores one at
 * a time filed 15-25 % more cases a second than two (larger batches, half the statements).
 */
export const MAX_RUNNING = Math.max(1, Math.min(4, os.availableParallelism() - 1));

export interface SubmitResult {
  id: number;
  number: string;
  eventId: number;
  located: Located;
  duplicates: { id: number; number: string; status: string; distance_m: number }[];
}

/** Who files a case: a signed-in user, or a resident without an account (user null). */
export interface Filer {
  kind: ReporterKind;
  user: User | null;
  /** the audit log's actor: the username, or "public:web" / "public:open311" */
  actor: string;
}

const forbidden = (message: string) => new HTTPException(403, { message });

// The read of a batch of filings: for each, where the point lies, the category, and open cases of
// the category nearby in its filer's scope. $1 the filings' index, $2 lon, $3 lat, $4 category,
// $5 priority, $6–$12 the filers' CaseScopeParams (one array per value), $13 duplicate radius (m),
// $14 snap radius (m). The open statuses are spelled out (they are the contract's constants) so
// that the planner can use the index of open cases' places, cases_open_geom_idx.
const OPEN_IN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
const FILING_READ_SQL = `
  SELECT f.i,
         (SELECT row_to_json(l) FROM (${locateSql('f.lon', 'f.lat', '$14')}) l) AS located,
         (${categorySql('f.category', 'f.priority')}) AS category,
         coalesce((SELECT json_agg(d ORDER BY d.distance_m, d.id) FROM (
           SELECT c.id, c.number, c.status,
                  round(ST_Distance(c.geom::geography, ST_SetSRID(ST_MakePoint(f.lon, f.lat), 4326)::geography)) AS distance_m
             FROM cases c
            WHERE ${caseVisibleTo(['f.city', 'f.subdistrict', 'f.community', 'f.grid', 'f.department', 'f.cadre', 'f.uid'])}
              AND c.category_code = f.category AND c.status IN (${OPEN_IN})
              AND c.geom && ${nearBox('f.lon', 'f.lat', '$13::float8')}
              AND ST_DWithin(c.geom::geography, ST_SetSRID(ST_MakePoint(f.lon, f.lat), 4326)::geography, $13)
            ORDER BY distance_m, c.id LIMIT 10) d), '[]') AS duplicates
    FROM unnest($1::int[], $2::float8[], $3::float8[], $4::text[], $5::text[], $6::boolean[], $7::int[], $8::int[],
                $9::int[], $10::int[], $11::int[], $12::int[])
           AS f (i, lon, lat, category, priority, city, subdistrict, community, grid, department, cadre, uid)`;

interface FilingRead {
  i: number;
  located: Located | null;
  category: FilingCategory | null;
  duplicates: SubmitResult['duplicates'];
}

interface Pending {
  u: User;
  body: NewCaseBody;
  photos: ProcessedPhoto[];
  now: Date;
  resolve(r: SubmitResult): void;
  reject(e: unknown): void;
}

interface Queue {
  waiting: Pending[];
  running: number;
  /** for tests and the bench: batches filed, and the largest */
  batches: number;
  largest: number;
}

const queues = new WeakMap<Db, Queue>();

/** How this process has batched its filings on `db` so far. */
export function filingStats(db: Db): { batches: number; largest: number } {
  const q = queues.get(db);
  return { batches: q?.batches ?? 0, largest: q?.largest ?? 0 };
}

/**
 * Files a case for a signed-in user: 400 outside every grid (or unknown category), 403 for a
 * role that does not file or a place outside the filer's own area. Resolves once committed.
 */
export function submitCase(db: Db, u: User, body: NewCaseBody, photos: ProcessedPhoto[], now = new Date()): Promise<SubmitResult> {
  if (!reporterKindOf(u)) return Promise.reject(forbidden('此角色不能上报案件 (this role does not file cases)'));
  let q = queues.get(db);
  if (!q) queues.set(db, (q = { waiting: [], running: 0, batches: 0, largest: 0 }));
  const queue = q;
  return new Promise((resolve, reject) => {
    queue.waiting.push({ u, body, photos, now, resolve, reject });
    pump(db, queue);
  });
}

function pump(db: Db, q: Queue) {
  while (q.running < MAX_RUNNING && q.waiting.length) {
    const batch = q.waiting.splice(0, MAX_BATCH);
    q.running++;
    q.batches++;
    q.largest = Math.max(q.largest, batch.length);
    // fileBatch settles every filing itself; should it throw, none is left waiting (settling a
    // settled promise again changes nothing).
    void fileBatch(db, batch).catch((e) => batch.forEach((p) => p.reject(e))).finally(() => {
      q.running--;
      pump(db, q);
    });
  }
}

/**
 * Files a batch: one read, then one insert of the filings not refused. When either statement
 * fails (nothing of the batch is then stored), the filings it carried are filed again one by
 * one; a batch of one gives its filer the error. Never rejects.
 */
async function fileBatch(db: Db, batch: Pending[]): Promise<void> {
  const alone = async (failed: Pending[], e: unknown) => {
    if (batch.length === 1) return failed.forEach((p) => p.reject(e));
    await Promise.all(failed.map((p) => fileBatch(db, [p])));
  };
  let read: Map<number, FilingRead>;
  try {
    read = await readFilings(db, batch);
  } catch (e) {
    return alone(batch, e);
  }
  const accepted: { p: Pending; n: NewCase; duplicates: SubmitResult['duplicates'] }[] = [];
  for (const [i, p] of batch.entries()) {
    const { located, category, duplicates } = read.get(i)!;
    const refused = refusal(p.u, located, category, p.body);
    if (refused) {
      p.reject(refused);
      continue;
    }
    const n: NewCase = { filer: { kind: reporterKindOf(p.u)!, user: p.u, actor: p.u.username }, body: p.body, photos: p.photos, located: located!, now: p.now, category, number: '' };
    accepted.push({ p, n, duplicates });
  }
  let filed: Awaited<ReturnType<typeof insertCases>>;
  try {
    // Numbers only for the filings that go in (cases/numbers.ts: mostly from memory).
    for (const a of accepted) a.n.number = await nextCaseNumber(db, a.n.now);
    filed = await insertCases(db, accepted.map((a) => a.n));
  } catch (e) {
    return alone(accepted.map((a) => a.p), e);
  }
  // Committed: from here on a filing is never filed again.
  accepted.forEach((a, k) => a.p.resolve({ ...filed[k], located: a.n.located, duplicates: a.duplicates }));
}

/** The read of a batch, by the filing's index in it. */
async function readFilings(db: Db, batch: Pending[]): Promise<Map<number, FilingRead>> {
  const scopes = batch.map((p) => caseScopeParams(p.u));
  const { rows } = await db.query<FilingRead>(prepared('case-filing-read', FILING_READ_SQL), [
    batch.map((_, i) => i), batch.map((p) => p.body.lon), batch.map((p) => p.body.lat), batch.map((p) => p.body.category),
    batch.map((p) => p.body.priority ?? 'normal'),
    ...scopes[0].map((_, k) => scopes.map((s) => s[k])),
    DUPLICATE_METRES, SNAP_METRES,
  ]);
  return new Map(rows.map((r) => [r.i, r]));
}

/** Why a filing is refused (400 or 403), or null. */
function refusal(u: User, located: Located | null, category: FilingCategory | null, body: NewCaseBody): Error | null {
  if (!located) return badRequest('不在本市网格范围内 (outside every grid of the city)');
  if (filesOnlyInOwnArea(u)) {
    const own = (u.grid_id !== null && u.grid_id === located.grid_id) || (u.community_id !== null && u.community_id === located.community_id)
      || (u.subdistrict_id !== null && u.subdistrict_id === located.subdistrict_id);
    if (!own) return forbidden('该位置不在您的辖区内 (the location is outside your area)');
  }
  if (!category) return badRequest(`未知的案件类别 (unknown category): ${body.category}`);
  return null;
}

// One statement for a set of cases: the cases ($1–$23: one array per column, a value per case),
// their photos ($24–$31: one array per column, a value per photo, $24 the number of its case),
// their submit events and their audit rows. Rows of the set are matched by the case number.
const INSERT_CASES_SQL = `WITH f AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[],
                            $9::int[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::int[],
                            $16::timestamptz[], $17::int[], $18::int[], $19::int[], $20::timestamptz[], $21::text[], $22::text[], $23::text[])
                WITH ORDINALITY AS f (number, category, priority, description, lon, lat, address, reporter_kind,
                                      user_id, phone, mode, level, dispatch_deadline, stage_started_at, stage_limit_minutes,
                                      next_check_at, grid_id, community_id, subdistrict_id, at, actor_label, payload, actor, n)
     ), c AS (
       INSERT INTO cases (number, category_code, priority, description, geom, address, reporter_kind, reporter_user_id,
                          reporter_phone, status, mode, level, max_level, dispatch_deadline, stage_started_at,
                          stage_limit_minutes, stage_warning, next_check_at, grid_id, community_id, subdistrict_id,
                          created_at, updated_at)
       SELECT number, category, priority, description, ST_SetSRID(ST_MakePoint(lon, lat), 4326), address, reporter_kind, user_id,
              phone, 'submitted', mode, level, level, dispatch_deadline, stage_started_at,
              stage_limit_minutes, 0, next_check_at, grid_id, community_id, subdistrict_id, at, at
         FROM f ORDER BY n
       RETURNING id, number, grid_id, community_id, subdistrict_id
     ), ph AS (
       INSERT INTO case_photos (case_id, mime, image, thumbnail, size, width, height, sha256, uploaded_by, created_at)
       SELECT c.id, x.mime, x.image, x.thumbnail, x.size, x.width, x.height, x.sha256, f.user_id, f.at
         FROM unnest($24::text[], $25::text[], $26::bytea[], $27::bytea[], $28::int[], $29::int[], $30::int[], $31::text[])
                WITH ORDINALITY AS x (number, mime, image, thumbnail, size, width, height, sha256, n)
         JOIN c ON c.number = x.number JOIN f ON f.number = x.number
        ORDER BY x.n
     ), e AS (
       INSERT INTO case_events (case_id, at, actor_user_id, actor_label, action, from_status, to_status, payload,
                                grid_id, community_id, subdistrict_id, department_id)
       SELECT c.id, f.at, f.user_id, f.actor_label, 'submit', NULL, 'submitted', f.payload::jsonb, c.grid_id, c.community_id, c.subdistrict_id, NULL
         FROM c JOIN f ON f.number = c.number ORDER BY f.n
       RETURNING id, case_id
     ), a AS (
       INSERT INTO audit_log (user_id, actor, action, entity, entity_id, after)
       SELECT f.user_id, f.actor, 'create', 'case', c.id::text, jsonb_build_object('number', c.number, 'category', f.category, 'event_id', e.id)
         FROM c JOIN f ON f.number = c.number JOIN e ON e.case_id = c.id
     )
     SELECT c.id, c.number, e.id AS event_id FROM c JOIN e ON e.case_id = c.id`;

export interface NewCase {
  filer: Filer;
  body: NewCaseBody;
  photos: ProcessedPhoto[];
  located: Located;
  now: Date;
  /** from nextCaseNumber (cases/numbers.ts) */
  number: string;
  /** the category when the caller has read it already (null: unknown) */
  category?: FilingCategory | null;
}

/** Inserts one case at a located place (see insertCases). */
export async function insertCase(client: Queryable, n: NewCase): Promise<{ id: number; number: string; eventId: number }> {
  return (await insertCases(client, [n]))[0];
}

/**
 * Inserts cases at located places with their photos, their submit events and their audit
 * entries, in ONE statement (in the caller's transaction, or atomic by itself); results in the
 * order given. Who may file where is the caller's to check. The audit rows are written here
 * with the columns audit/index.ts writes, so that they commit with the cases.
 */
export async function insertCases(client: Queryable, cases: NewCase[]): Promise<{ id: number; number: string; eventId: number }[]> {
  if (!cases.length) return [];
  const rows: { n: NewCase; priority: string; cat: FilingCategory; stage: ReturnType<typeof startStage>; actorLabel: string; payload: string }[] = [];
  for (const n of cases) {
    const { filer, body, photos, located, now } = n;
    if (photos.length > 4) throw badRequest('每个案件最多 4 张照片 (at most 4 photos per case)');
    const priority = body.priority ?? 'normal';
    const cat = n.category === undefined ? await filingCategory(client, body.category, priority) : n.category;
    if (!cat) throw badRequest(`未知的案件类别 (unknown category): ${body.category}`);
    const stage = startStage(cat.clock, 'dispatch', now);
    rows.push({
      n, priority, cat, stage,
      actorLabel: filer.user ? actorLabel(filer.user) : REPORTER_KIND_LABELS[filer.kind],
      payload: JSON.stringify({ category: body.category, priority, level: cat.default_level, mode: cat.default_mode, photos: photos.length, snapped: !located.inside }),
    });
  }
  const col = <T>(f: (r: typeof rows[number]) => T) => rows.map(f);
  const photos = rows.flatMap((r) => r.n.photos.map((p) => ({ number: r.n.number, p })));
  const ph = <T>(f: (x: ProcessedPhoto) => T) => photos.map((x) => f(x.p));
  const { rows: out } = await client.query<{ id: number; number: string; event_id: number }>(prepared('case-insert', INSERT_CASES_SQL), [
    col((r) => r.n.number), col((r) => r.n.body.category), col((r) => r.priority), col((r) => r.n.body.description),
    col((r) => r.n.body.lon), col((r) => r.n.body.lat), col((r) => r.n.body.address || null), col((r) => r.n.filer.kind),
    col((r) => r.n.filer.user?.id ?? null), col((r) => r.n.body.reporter_phone ?? null), col((r) => r.cat.default_mode), col((r) => r.cat.default_level),
    col((r) => r.stage.deadline![1]), col((r) => r.stage.stage_started_at), col((r) => r.stage.stage_limit_minutes), col((r) => r.stage.next_check_at),
    col((r) => r.n.located.grid_id), col((r) => r.n.located.community_id), col((r) => r.n.located.subdistrict_id), col((r) => r.n.now),
    col((r) => r.actorLabel), col((r) => r.payload), col((r) => r.n.filer.actor),
    photos.map((x) => x.number), ph((p) => p.mime), ph((p) => p.image), ph((p) => p.thumbnail), ph((p) => p.size),
    ph((p) => p.width), ph((p) => p.height), ph((p) => p.sha256),
  ]);
  const byNumber = new Map(out.map((r) => [r.number, r]));
  return cases.map((n) => {
    const r = byNumber.get(n.number)!;
    return { id: r.id, number: r.number, eventId: r.event_id };
  });
}
