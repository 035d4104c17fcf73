// Filing a case: where the point lies, the category, possible duplicates nearby, then the case,
// its photos, its submit event and its audit entry — for many filings at once.
//
// Filings arriving together are filed together (group commit). A filing joins a queue; while
// fewer than MAX_RUNNING batches are at the database, the queue is taken whole (up to
// MAX_BATCH) and filed with ONE statement, whatever its size: it places each point in its grid,
// refuses the filings outside every grid or outside their filer's area, inserts the others and
// finds each one's possible duplicates. A lone filing therefore waits for nothing (it is a batch
// of one), and under load the cost a statement carries (a round trip, a commit and its WAL
// flush, and the wait for this process's busy thread to send the next one) is shared by every
// filing in it instead of paid by each. The statement commits whole or not at all; when it
// fails, each of its filings is filed again on its own, so one filing at fault never takes the
// others with it. Nothing is acknowledged before its statement has committed.
//
// A filing sent with an Idempotency-Key (http/idempotency.ts) stores its answer in that same
// statement, so the key is committed exactly when the case is, whatever batch it rides in.
import os from 'node:os';
import { HTTPException } from 'hono/http-exception';
import { OPEN_STATUSES, REPORTER_KIND_LABELS, type NewCaseBody, type ReporterKind } from '@grid-atlas/contract';
import { prepared, type Db, type Queryable } from '../db/index.ts';
import { badRequest } from '../http/errors.ts';
import type { IdempotencyClaim } from '../http/idempotency.ts';
import { giveBackCaseNumbers, nextCaseNumber } from './numbers.ts';
import type { ProcessedPhoto } from './photos.ts';
import { caseScopeParams, caseVisibleTo, filesOnlyInOwnArea, reporterKindOf, type User } from '../auth/scope.ts';
import { CATALOGUE_SQL, filingCategory, type FilingCategory } from './categories.ts';
import { startStage } from './clock.ts';
import { actorLabel } from './lifecycle.ts';
import { DUPLICATE_METRES, locateSql, nearBox, SNAP_METRES, type Located } from './locate.ts';

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

interface Pending {
  u: User;
  body: NewCaseBody;
  photos: ProcessedPhoto[];
  now: Date;
  /** the Idempotency-Key whose answer is stored with the case */
  claim: IdempotencyClaim | null;
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
 * With a claim, the answer of POST /api/cases (filedAnswer) is stored under its key in the
 * same statement.
 */
export function submitCase(db: Db, u: User, body: NewCaseBody, photos: ProcessedPhoto[], now = new Date(),
  claim: IdempotencyClaim | null = null): Promise<SubmitResult> {
  if (!reporterKindOf(u)) return Promise.reject(forbidden('此角色不能上报案件 (this role does not file cases)'));
  let q = queues.get(db);
  if (!q) queues.set(db, (q = { waiting: [], running: 0, batches: 0, largest: 0 }));
  const queue = q;
  return new Promise((resolve, reject) => {
    queue.waiting.push({ u, body, photos, now, claim, resolve, reject });
    pump(db, queue);
  });
}

function pump(db: Db, q: Queue) {
  while (q.running < MAX_RUNNING && q.waiting.length) {
    const batch = q.waiting.splice(0, MAX_BATCH);
    q.running++;
    q.batches++;
    q.largest = Math.max(q.largest, batch.length);
    // The next batch goes to the database as soon as this one's statement is back, before this
    // one's filers are answered: answering them is the thread's work while the database files
    // the next (answered first, the next batch waited behind 30 responses written one by one).
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      q.running--;
      pump(db, q);
    };
    // fileBatch settles every filing itself; should it throw, none is left waiting (settling a
    // settled promise again changes nothing).
    void fileBatch(db, batch, release).catch((e) => batch.forEach((p) => p.reject(e))).finally(release);
  }
}

// The category catalogue (categories × priorities), read at most once a minute: a filing needs
// its category's clock before its statement is sent, to start the dispatch stage's deadline
// (cases/clock.ts counts working hours). The catalogue changes only with a migration, which
// restarts the server; an edit made in the database by hand counts within a minute.
const CATALOGUE_TTL_MS = 60_000;
const catalogues = new WeakMap<Db, { at: number; value: Promise<Map<string, FilingCategory>> }>();

function catalogue(db: Db): Promise<Map<string, FilingCategory>> {
  const hit = catalogues.get(db);
  if (hit && Date.now() - hit.at < CATALOGUE_TTL_MS) return hit.value;
  const value = db.query<{ code: string; priority: string; category: FilingCategory }>(CATALOGUE_SQL)
    .then(({ rows }) => new Map(rows.map((r) => [`${r.code} ${r.priority}`, r.category])));
  // A failed read is not kept: the next batch reads again.
  value.catch(() => { if (catalogues.get(db)?.value === value) catalogues.delete(db); });
  catalogues.set(db, { at: Date.now(), value });
  return value;
}

/**
 * Files a batch in one statement (FILE_BATCH_SQL). When it fails (nothing of the batch is then
 * stored), the filings it carried are filed again one by one; a batch of one gives its filer
 * the error. Never rejects.
 */
async function fileBatch(db: Db, batch: Pending[], release = () => {}): Promise<void> {
  const alone = async (failed: Pending[], e: unknown) => {
    if (batch.length === 1) return failed.forEach((p) => p.reject(e));
    await Promise.all(failed.map((p) => fileBatch(db, [p])));
  };
  let categories: Map<string, FilingCategory>;
  try {
    categories = await catalogue(db);
  } catch (e) {
    return alone(batch, e);
  }
  const filings: { p: Pending; row: CaseRow }[] = [];
  for (const p of batch) {
    const category = categories.get(`${p.body.category} ${p.body.priority ?? 'normal'}`);
    if (!category) {
      p.reject(badRequest(`未知的案件类别 (unknown category): ${p.body.category}`));
      continue;
    }
    try {
      const filer: Filer = { kind: reporterKindOf(p.u)!, user: p.u, actor: p.u.username };
      filings.push({ p, row: caseRow({ filer, body: p.body, photos: p.photos, now: p.now }, category) });
    } catch (e) {
      p.reject(e);
    }
  }
  if (!filings.length) return;
  const numbers: string[] = [];
  let rows: FiledRow[];
  try {
    // A number for each filing; the statement gives them, in order, to the filings it accepts.
    for (const f of filings) numbers.push(await nextCaseNumber(db, f.p.now));
    ({ rows } = await db.query<FiledRow>(prepared('case-file-batch', FILE_BATCH_SQL), fileBatchParams(filings, numbers)));
  } catch (e) {
    return alone(filings.map((f) => f.p), e);
  }
  // Committed: from here on a filing is never filed again. Numbers the refused ones would have had
  // go back to be handed out again (before the next batch takes any).
  const refused = rows.filter((r) => !r.ok).length;
  if (refused) giveBackCaseNumbers(db, numbers.slice(numbers.length - refused));
  // The next batch is sent first (its numbers and its statement, a few promise steps), then
  // these filings are answered.
  release();
  await new Promise((resolve) => setImmediate(resolve));
  for (const r of rows) {
    const p = filings[r.n - 1].p;
    if (!r.ok) {
      p.reject(r.grid_id === null ? badRequest('不在本市网格范围内 (outside every grid of the city)')
        : forbidden('该位置不在您的辖区内 (the location is outside your area)'));
      continue;
    }
    p.resolve({
      id: r.id!, number: r.number!, eventId: r.event_id!,
      located: { grid_id: r.grid_id!, community_id: r.community_id!, subdistrict_id: r.subdistrict_id!, inside: r.inside! },
      duplicates: r.duplicates ?? [],
    });
  }
}

/** The answer of POST /api/cases for a filed case (FILE_BATCH_SQL stores the same under an Idempotency-Key). */
export function filedAnswer(r: SubmitResult) {
  return {
    id: r.id, number: r.number, event_id: r.eventId, grid_id: r.located.grid_id, community_id: r.located.community_id,
    subdistrict_id: r.located.subdistrict_id, snapped: !r.located.inside, duplicates: r.duplicates,
  };
}

/** A row of FILE_BATCH_SQL's answer: one per filing, by its position (from 1) in the batch. */
interface FiledRow {
  n: number;
  ok: boolean;
  grid_id: number | null;
  community_id: number | null;
  subdistrict_id: number | null;
  inside: boolean | null;
  id: number | null;
  number: string | null;
  event_id: number | null;
  duplicates: SubmitResult['duplicates'] | null;
}

/** What a case's row, its event and its audit entry are made of, worked out before the statement. */
interface CaseRow {
  n: Omit<NewCase, 'located' | 'number'>;
  priority: string;
  cat: FilingCategory;
  stage: ReturnType<typeof startStage>;
  actorLabel: string;
  /** the submit event's payload (insertCases adds whether the point was snapped to a grid) */
  payload: Record<string, unknown>;
}

function caseRow(n: CaseRow['n'], cat: FilingCategory): CaseRow {
  const priority = n.body.priority ?? 'normal';
  if (n.photos.length > 4) throw badRequest('每个案件最多 4 张照片 (at most 4 photos per case)');
  return {
    n, priority, cat,
    stage: startStage(cat.clock, 'dispatch', n.now),
    actorLabel: n.filer.user ? actorLabel(n.filer.user) : REPORTER_KIND_LABELS[n.filer.kind],
    payload: { category: n.body.category, priority, level: cat.default_level, mode: cat.default_mode, photos: n.photos.length },
  };
}

// The columns of a case to insert, one array per column and a value per case, in the order of
// CASE_INPUT below; `located` adds the case's grid, community and subdistrict after next_check_at.
function caseColumns(rows: CaseRow[]) {
  const col = <T>(f: (r: CaseRow) => T) => rows.map(f);
  return {
    head: [
      col((r) => r.n.body.category), col((r) => r.priority), col((r) => r.n.body.description),
      col((r) => r.n.body.lon), col((r) => r.n.body.lat), col((r) => r.n.body.address || null), col((r) => r.n.filer.kind),
      col((r) => r.n.filer.user?.id ?? null), col((r) => r.n.body.reporter_phone ?? null), col((r) => r.cat.default_mode), col((r) => r.cat.default_level),
      col((r) => r.stage.deadline![1]), col((r) => r.stage.stage_started_at), col((r) => r.stage.stage_limit_minutes), col((r) => r.stage.next_check_at),
    ],
    tail: [col((r) => r.n.now), col((r) => r.actorLabel), col((r) => JSON.stringify(r.payload)), col((r) => r.n.filer.actor)],
  };
}

/** The photos of the cases, one array per column and a value per photo, the first the case's position (from 1). */
function photoColumns(rows: CaseRow[]) {
  const photos = rows.flatMap((r, i) => r.n.photos.map((p) => ({ n: i + 1, p })));
  const ph = <T>(f: (x: ProcessedPhoto) => T) => photos.map((x) => f(x.p));
  return [photos.map((x) => x.n), ph((p) => p.mime), ph((p) => p.image), ph((p) => p.thumbnail), ph((p) => p.size),
    ph((p) => p.width), ph((p) => p.height), ph((p) => p.sha256)];
}

// One case per row of `f` (its columns: CASE_INPUT's, with the grid, community and subdistrict,
// its number and n, its position from 1), inserted with its photos (parameters $p..$p+7: one
// array per column, a value per photo, the first the position of its case), its submit event and
// its audit row. Rows are matched by the case number.
const CASE_INPUT = `category, priority, description, lon, lat, address, reporter_kind, user_id, phone, mode, level,
  dispatch_deadline, stage_started_at, stage_limit_minutes, next_check_at`;
const CASE_INPUT_TYPES = ['text', 'text', 'text', 'float8', 'float8', 'text', 'text', 'int', 'text', 'text', 'text',
  'timestamptz', 'timestamptz', 'int', 'timestamptz'];
const CASE_INPUT_TAIL = 'at, actor_label, payload, actor';
const CASE_INPUT_TAIL_TYPES = ['timestamptz', 'text', 'text', 'text'];
/** `$from::type[], …` for a list of types. */
const arrays = (from: number, types: string[]) => types.map((t, i) => `$${from + i}::${t}[]`).join(', ');

const insertFromF = (p: number) => `
     c AS (
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
         FROM unnest(${arrays(p, ['int', 'text', 'bytea', 'bytea', 'int', 'int', 'int', 'text'])})
                WITH ORDINALITY AS x (case_n, mime, image, thumbnail, size, width, height, sha256, k)
         JOIN f ON f.n = x.case_n JOIN c ON c.number = f.number
        ORDER BY x.k
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
     )`;

// insertCases: cases at places already located. $1–$15 CASE_INPUT, $16–$18 grid, community,
// subdistrict, $19–$22 CASE_INPUT_TAIL, $23 the numbers, $24–$31 the photos.
const INSERT_CASES_SQL = `WITH f AS (
       SELECT * FROM unnest(${arrays(1, CASE_INPUT_TYPES)}, $16::int[], $17::int[], $18::int[], ${arrays(19, CASE_INPUT_TAIL_TYPES)}, $23::text[])
                WITH ORDINALITY AS f (${CASE_INPUT}, grid_id, community_id, subdistrict_id, ${CASE_INPUT_TAIL}, number, n)
     ), ${insertFromF(24)}
     SELECT c.id, c.number, e.id AS event_id FROM c JOIN e ON e.case_id = c.id`;

// A batch of filings (fileBatch). $1–$15 CASE_INPUT and $16–$19 CASE_INPUT_TAIL, a value per
// filing; $20–$26 the filers' CaseScopeParams (which open cases each may be shown as possible
// duplicates); $27–$30 whether a filer must stay in their own area (filesOnlyInOwnArea), and
// that area's grid, community and subdistrict; $31 the case numbers, taken in order by the
// filings accepted; $32 the snap radius (m) for a point just outside every grid; $33 the
// duplicate radius (m); $34–$41 the photos; $42 the filings' Idempotency-Key hashes and $43
// their requests' fingerprints (null without a key): an accepted filing's answer, as
// filedAnswer writes it, is stored under its key in idempotency_keys. One row per filing, in order: where its point lies,
// whether it was accepted (ok), and for those the case, its event and its possible duplicates:
// open cases of its category within the radius that its filer may see, nearest first. The
// duplicates are read from the snapshot the statement started with, so a case never lists
// itself or another of its batch (as when they were filed one after the other by different
// people a moment apart, each would see the earlier). The open statuses are spelled out (they
// are the contract's constants) so that the planner uses the index of open cases' places,
// cases_open_geom_idx.
const OPEN_IN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
const FILE_BATCH_SQL = `WITH i AS (
       SELECT * FROM unnest(${arrays(1, CASE_INPUT_TYPES)}, ${arrays(16, CASE_INPUT_TAIL_TYPES)},
                            $20::boolean[], $21::int[], $22::int[], $23::int[], $24::int[], $25::int[], $26::int[],
                            $27::boolean[], $28::int[], $29::int[], $30::int[], $42::text[], $43::text[])
                WITH ORDINALITY AS i (${CASE_INPUT}, ${CASE_INPUT_TAIL},
                                      city, subdistrict, community, grid, department, cadre, uid,
                                      own_only, own_grid, own_community, own_subdistrict, key_hash, key_fingerprint, n)
     ), r AS (
       SELECT i.*, l.grid_id, l.community_id, l.subdistrict_id, l.inside,
              coalesce(l.grid_id IS NOT NULL AND (NOT i.own_only OR l.grid_id = i.own_grid OR l.community_id = i.own_community
                                                  OR l.subdistrict_id = i.own_subdistrict), false) AS ok
         FROM i LEFT JOIN LATERAL (${locateSql('i.lon', 'i.lat', '$32')}) l ON true
     ), f AS (
       SELECT ${CASE_INPUT}, grid_id, community_id, subdistrict_id, at, actor_label, actor,
              payload::jsonb || jsonb_build_object('snapped', NOT inside) AS payload,
              ($31::text[])[row_number() OVER (ORDER BY n)] AS number, n
         FROM r WHERE ok
     ), ${insertFromF(34)}, dd AS (
       SELECT r.n, coalesce((SELECT json_agg(d ORDER BY d.distance_m, d.id) FROM (
              SELECT o.id, o.number, o.status,
                     round(ST_Distance(o.geom::geography, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)::geography)) AS distance_m
                FROM cases o
               WHERE ${caseVisibleTo(['r.city', 'r.subdistrict', 'r.community', 'r.grid', 'r.department', 'r.cadre', 'r.uid'], 'o')}
                 AND o.category_code = r.category AND o.status IN (${OPEN_IN})
                 AND o.geom && ${nearBox('r.lon', 'r.lat', '$33::float8')}
                 AND ST_DWithin(o.geom::geography, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)::geography, $33)
               ORDER BY distance_m, o.id LIMIT 10) d), '[]') AS duplicates
         FROM r WHERE r.ok
     ), k AS (
       INSERT INTO idempotency_keys (key_hash, fingerprint, status, body, created_at)
       SELECT r.key_hash, r.key_fingerprint, 201,
              json_build_object('id', c.id, 'number', c.number, 'event_id', e.id, 'grid_id', c.grid_id, 'community_id', c.community_id,
                                'subdistrict_id', c.subdistrict_id, 'snapped', NOT r.inside, 'duplicates', dd.duplicates)::text, r.at
         FROM r JOIN f ON f.n = r.n JOIN c ON c.number = f.number JOIN e ON e.case_id = c.id JOIN dd ON dd.n = r.n
        WHERE r.key_hash IS NOT NULL
     )
     SELECT r.n::int AS n, r.ok, r.grid_id, r.community_id, r.subdistrict_id, r.inside, c.id, c.number, e.id AS event_id, dd.duplicates
       FROM r LEFT JOIN f ON f.n = r.n LEFT JOIN c ON c.number = f.number LEFT JOIN e ON e.case_id = c.id LEFT JOIN dd ON dd.n = r.n
      ORDER BY r.n`;

function fileBatchParams(filings: { p: Pending; row: CaseRow }[], numbers: string[]): unknown[] {
  const { head, tail } = caseColumns(filings.map((f) => f.row));
  const scopes = filings.map((f) => caseScopeParams(f.p.u));
  const own = filings.map((f) => f.p.u);
  return [
    ...head, ...tail,
    ...scopes[0].map((_, k) => scopes.map((s) => s[k])),
    own.map((u) => filesOnlyInOwnArea(u)), own.map((u) => u.grid_id), own.map((u) => u.community_id), own.map((u) => u.subdistrict_id),
    numbers, SNAP_METRES, DUPLICATE_METRES,
    ...photoColumns(filings.map((f) => f.row)),
    filings.map((f) => f.p.claim?.keyHash ?? null), filings.map((f) => f.p.claim?.fingerprint ?? null),
  ];
}

export interface NewCase {
  filer: Filer;
  body: NewCaseBody;
  photos: ProcessedPhoto[];
  located: Located;
  now: Date;
  /** from nextCaseNumber (cases/numbers.ts) */
  number: string;
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
  const rows: CaseRow[] = [];
  for (const n of cases) {
    const cat = await filingCategory(client, n.body.category, n.body.priority ?? 'normal');
    if (!cat) throw badRequest(`未知的案件类别 (unknown category): ${n.body.category}`);
    const row = caseRow(n, cat);
    row.payload.snapped = !n.located.inside;
    rows.push(row);
  }
  const { head, tail } = caseColumns(rows);
  const { rows: out } = await client.query<{ id: number; number: string; event_id: number }>(prepared('case-insert', INSERT_CASES_SQL), [
    ...head,
    cases.map((n) => n.located.grid_id), cases.map((n) => n.located.community_id), cases.map((n) => n.located.subdistrict_id),
    ...tail, cases.map((n) => n.number),
    ...photoColumns(rows),
  ]);
  const byNumber = new Map(out.map((r) => [r.number, r]));
  return cases.map((n) => {
    const r = byNumber.get(n.number)!;
    return { id: r.id, number: r.number, eventId: r.event_id };
  });
}
