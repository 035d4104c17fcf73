// Idempotency-Key on the filing routes: a client that lost an answer (the connection dropped, the
// server died between commit and reply) sends the same request again with the same key and is
// answered what the first one was, instead of filing twice.
//
// - The key is 1–255 printable ASCII characters (else 400), scoped to its caller: a user, an
//   Open311 system, or the public report page (where the key alone identifies the request).
// - The answer is stored in the idempotency_keys table IN THE FILING'S OWN TRANSACTION (for cases,
//   in the batch's one statement: cases/filing.ts), so a key is found exactly when its filing
//   was committed; a refused filing (4xx) stores nothing and is simply decided again.
// - Same key, same request (route, fields and photos), within IDEMPOTENCY_HOURS: the stored
//   status and body, with `Idempotent-Replayed: true`. Same key, another request: 422. The same
//   key while its first request is still being filed: 409 (in this process: at once; in another
//   process: the second insert of the key waits for the first and fails on the primary key,
//   after which the stored answer is replayed).
// - Answers stored from JavaScript are sealed (AES-256-GCM) with a key derived from the
//   Idempotency-Key and the request's fingerprint, neither of which is stored, so a copy of the
//   database reveals no resident's follow token.
import crypto from 'node:crypto';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Db, Queryable } from '../db/index.ts';
import { badRequest } from './errors.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** How long a key is remembered. */
export const IDEMPOTENCY_HOURS = 24;
const KEEP_MS = IDEMPOTENCY_HOURS * 3_600_000;
/** Expired keys are deleted at most this often per process (and a lookup ignores them anyway). */
const PRUNE_EVERY_MS = 3_600_000;

const KEY = /^[\x20-\x7e]{1,255}$/;

const sha256 = (data: string | Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');

/** The row's primary key for a caller's key. */
export const idempotencyKeyHash = (scope: string, key: string) => sha256(`${scope}\0${key}`);

/** The key a filing stores with its answer; what cases/filing.ts needs to store it in SQL. */
export interface IdempotencyClaim {
  /** SHA-256 of the caller's scope and the key: the row's primary key */
  keyHash: string;
  /** SHA-256 of the request */
  fingerprint: string;
  /** Stores the answer, sealed, in the caller's transaction (the filing's). */
  save(client: Queryable, status: number, body: unknown, now?: Date): Promise<void>;
}

export interface IdempotentRequest {
  /** whose keys these are: "user:<id>", "open311:<system>", "public:web" */
  scope: string;
  /** the route, part of the fingerprint: the same key sent to another route is another request */
  route: string;
  /** the request's fields as read (JSON or form), before any validation */
  fields: unknown;
  /** photos, by their content */
  files?: readonly Blob[];
}

/** The Idempotency-Key header: null when absent, 400 when ill-formed. */
export function idempotencyKeyOf(c: Context): string | null {
  const raw = c.req.header(IDEMPOTENCY_HEADER);
  if (raw === undefined) return null;
  if (!KEY.test(raw)) {
    throw badRequest(`${IDEMPOTENCY_HEADER} 应为 1–255 个可打印 ASCII 字符 (${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters)`);
  }
  return raw;
}

/** JSON with every object's keys in order, so that equal requests hash alike. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Blob) return { blob: v.size };
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

async function fingerprintOf(req: IdempotentRequest): Promise<string> {
  const files = await Promise.all((req.files ?? []).map(async (f) => sha256(new Uint8Array(await f.arrayBuffer()))));
  return sha256(JSON.stringify({ route: req.route, fields: canonical(req.fields), files }));
}

const sealingKey = (key: string, fingerprint: string) =>
  crypto.createHash('sha256').update(`grid-atlas idempotency seal\0${key}\0${fingerprint}`).digest();

function seal(secret: Buffer, text: string): Buffer {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', secret, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function unseal(secret: Buffer, sealed: Buffer): string {
  const decipher = crypto.createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}

const inFlight = new WeakMap<Db, Set<string>>();
const lastPrune = new WeakMap<Db, number>();

const conflict = () => new HTTPException(409, {
  message: `相同 ${IDEMPOTENCY_HEADER} 的请求正在处理，请稍后再试 (a request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly)`,
});

/** Deletes the keys older than IDEMPOTENCY_HOURS; returns how many. */
export async function pruneIdempotencyKeys(db: Queryable, now = new Date()): Promise<number> {
  const r = await db.query('DELETE FROM idempotency_keys WHERE created_at <= $1', [new Date(now.getTime() - KEEP_MS)]);
  return r.rowCount ?? 0;
}

interface Stored { fingerprint: string; status: number; body: string | null; sealed: Buffer | null; fresh: boolean }

/** The stored answer for the key: replayed, 422 for another request, or null when there is none. */
async function lookup(db: Db, c: Context, keyHash: string, fingerprint: string, secret: Buffer, now: Date): Promise<Response | null> {
  const since = new Date(now.getTime() - KEEP_MS);
  const { rows } = await db.query<Stored>(
    'SELECT fingerprint, status, body, sealed, created_at > $2 AS fresh FROM idempotency_keys WHERE key_hash = $1', [keyHash, since]);
  const row = rows[0];
  if (!row) return null;
  if (!row.fresh) {
    // Expired: forgotten, so that this request may file and store the key anew.
    await db.query('DELETE FROM idempotency_keys WHERE key_hash = $1 AND created_at <= $2', [keyHash, since]);
    return null;
  }
  if (row.fingerprint !== fingerprint) {
    throw new HTTPException(422, {
      message: `此 ${IDEMPOTENCY_HEADER} 已用于另一份不同的提交；新的提交请使用新的 ${IDEMPOTENCY_HEADER} (this ${IDEMPOTENCY_HEADER} was used for a different request; use a new key for a new request)`,
    });
  }
  const text = row.sealed ? unseal(secret, row.sealed) : row.body!;
  c.header('Idempotent-Replayed', 'true');
  return c.body(text, row.status as ContentfulStatusCode, { 'Content-Type': 'application/json' });
}

/** A unique violation on idempotency_keys: another request stored the same key meanwhile. */
function isKeyTaken(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'idempotency_keys_pkey';
}

/**
 * Runs a filing route under the request's Idempotency-Key: `run` gets null when the request has
 * none, else a claim whose answer it must store in the filing's transaction (claim.save, or
 * the claim's hash and fingerprint in SQL). A stored answer is replayed without calling `run`.
 */
export async function idempotent<R extends Response>(
  c: Context, db: Db, req: IdempotentRequest, run: (claim: IdempotencyClaim | null) => Promise<R>,
): Promise<R> {
  const key = idempotencyKeyOf(c);
  if (key === null) return run(null);
  const now = new Date();
  if (now.getTime() - (lastPrune.get(db) ?? 0) >= PRUNE_EVERY_MS) {
    lastPrune.set(db, now.getTime());
    await pruneIdempotencyKeys(db, now);
  }
  const keyHash = idempotencyKeyHash(req.scope, key);
  const fingerprint = await fingerprintOf(req);
  const secret = sealingKey(key, fingerprint);
  const replay = await lookup(db, c, keyHash, fingerprint, secret, now);
  // A replay is the answer `run` gave to the same route and body, stored: the route's own type.
  if (replay) return replay as R;
  let running = inFlight.get(db);
  if (!running) inFlight.set(db, (running = new Set()));
  if (running.has(keyHash)) throw conflict();
  running.add(keyHash);
  try {
    return await run({
      keyHash,
      fingerprint,
      async save(client, status, body, at = new Date()) {
        await client.query(
          'INSERT INTO idempotency_keys (key_hash, fingerprint, status, sealed, created_at) VALUES ($1, $2, $3, $4, $5)',
          [keyHash, fingerprint, status, seal(secret, JSON.stringify(body)), at]);
      },
    });
  } catch (err) {
    if (!isKeyTaken(err)) throw err;
    // Another process filed this key first and has committed (the insert waited for it).
    const stored = await lookup(db, c, keyHash, fingerprint, secret, new Date());
    if (stored) return stored as R;
    throw conflict();
  } finally {
    running.delete(keyHash);
  }
}
