// Filing a report from outside (the residents' report page, another city system over Open311):
// an ordinary case (reporter_kind resident, no reporter account) plus its public_reports row.
// The follow token (32 random bytes) is returned once; only its SHA-256 is stored, so a copy of
// the database opens no one's link. Abuse limits count reports per source (a client address, or
// an Open311 API key) and per phone number, both stored as SHA-256 digests, under advisory
// locks, so parallel requests cannot all slip under a limit. A place outside every grid of the
// city is refused.
import crypto from 'node:crypto';
import type { PublicReportBody } from '@grid-atlas/contract';
import type { Db, Queryable } from '../db/index.ts';
import { badRequest } from '../http/errors.ts';
import type { ProcessedPhoto } from './photos.ts';
import { nextCaseNumber } from './numbers.ts';
import { insertCase } from './filing.ts';
import { locate } from './locate.ts';

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface PublicLimits {
  perAddressHour: number;
  perAddressDay: number;
  perPhoneDay: number;
}

export interface PublicSource {
  channel: 'web' | 'open311';
  /** what the per-source limits count by: "address:<ip>" or "open311:<key name>" */
  source: string;
  /** the audit log's actor */
  actor: string;
  limits: PublicLimits;
}

/** Advisory lock classes (two-key form, keys are hashtext): 7303 client addresses, 7304 phones. */
const LOCK_SQL = `SELECT pg_advisory_xact_lock(7303, hashtext($1)), pg_advisory_xact_lock(7304, hashtext(coalesce($2, '')))`;

// How many reports each key filed in each window, and when the oldest counted one ages out.
const COUNT_SQL = `
  SELECT (SELECT count(*) FROM public_reports WHERE address_key = $1 AND created_at > $3::timestamptz - interval '1 hour') AS address_hour,
         (SELECT count(*) FROM public_reports WHERE address_key = $1 AND created_at > $3::timestamptz - interval '1 day') AS address_day,
         (SELECT count(*) FROM public_reports WHERE phone_key = $2 AND created_at > $3::timestamptz - interval '1 day') AS phone_day,
         ceil(extract(epoch FROM (SELECT min(created_at) FROM (SELECT created_at FROM public_reports WHERE address_key = $1
                 AND created_at > $3::timestamptz - interval '1 hour' ORDER BY created_at DESC LIMIT $4) t) + interval '1 hour' - $3::timestamptz)) AS address_hour_wait,
         ceil(extract(epoch FROM (SELECT min(created_at) FROM (SELECT created_at FROM public_reports WHERE address_key = $1
                 AND created_at > $3::timestamptz - interval '1 day' ORDER BY created_at DESC LIMIT $5) t) + interval '1 day' - $3::timestamptz)) AS address_day_wait,
         ceil(extract(epoch FROM (SELECT min(created_at) FROM (SELECT created_at FROM public_reports WHERE phone_key = $2
                 AND created_at > $3::timestamptz - interval '1 day' ORDER BY created_at DESC LIMIT $6) t) + interval '1 day' - $3::timestamptz)) AS phone_day_wait`;

/** A limit reached: answered 429 with Retry-After (seconds until the oldest counted report ages out). */
export class RateLimited extends Error {
  constructor(message: string, readonly retryAfter: number) {
    super(message);
  }
}
const tooMany = (message: string, wait: number) => new RateLimited(message, Math.max(1, Math.ceil(wait || 60)));


export interface FiledReport { id: number; number: string; eventId: number; token: string }

/**
 * Files the report, or throws RateLimited (answer 429) or a 400 for a place outside the city.
 * `onFiled` runs in the filing's transaction (to store the answer under an Idempotency-Key).
 */
export async function filePublicReport(db: Db, from: PublicSource, body: PublicReportBody, photos: ProcessedPhoto[], now = new Date(),
  onFiled?: (client: Queryable, filed: FiledReport) => Promise<void>): Promise<FiledReport> {
  const token = crypto.randomBytes(32).toString('base64url');
  const addressKey = sha256(from.source);
  const phoneKey = body.phone ? sha256(`phone:${body.phone}`) : null;
  const { limits } = from;
  // Taken before the transaction (a refused report skips its number; see cases/numbers.ts).
  const number = await nextCaseNumber(db, now);
  const filed = await db.withTransaction(async (client) => {
    await client.query(LOCK_SQL, [addressKey, phoneKey]);
    const n = (await client.query<Record<string, number | null>>(COUNT_SQL, [addressKey, phoneKey, now,
      limits.perAddressHour, limits.perAddressDay, limits.perPhoneDay])).rows[0];
    if (Number(n.address_hour) >= limits.perAddressHour)
      throw tooMany(`提交太频繁：每小时最多 ${limits.perAddressHour} 条，请稍后再试 (too many reports from this source; try again later)`, Number(n.address_hour_wait));
    if (Number(n.address_day) >= limits.perAddressDay)
      throw tooMany(`今天提交太多：每天最多 ${limits.perAddressDay} 条 (too many reports from this source today)`, Number(n.address_day_wait));
    if (phoneKey && Number(n.phone_day) >= limits.perPhoneDay)
      throw tooMany(`这个电话号码今天已提交 ${limits.perPhoneDay} 条，请明天再试或拨打 12345 (too many reports for this phone number today)`, Number(n.phone_day_wait));
    const located = await locate(client, body.lon, body.lat);
    if (!located) throw badRequest('您选的位置不在恩施市城区的网格范围内，请在地图上重新选择 (the place is outside the city\'s grids)');
    const r = await insertCase(client, {
      filer: { kind: 'resident', user: null, actor: from.actor },
      body: { category: body.category, lon: body.lon, lat: body.lat, description: body.description, address: body.address, reporter_phone: body.phone },
      photos, located, now, number,
    });
    await client.query(
      `INSERT INTO public_reports (case_id, token_hash, channel, address_key, phone_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [r.id, sha256(token), from.channel, addressKey, phoneKey, now]);
    await onFiled?.(client, { ...r, token });
    return r;
  });
  return { ...filed, token };
}
