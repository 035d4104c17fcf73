// The residents' report page's calls (server/src/routes/public-reports.ts): no session, so a 401
// never sends anyone to the sign-in page. Bodies and answers are the contract's types.
import type { PublicCategory, PublicRateBody, PublicReportCreated, PublicReportStatus } from '@grid-atlas/contract';
import { fetchWith, readUntypedJson } from './http';
import { IDEMPOTENCY_HEADER, withRetries } from './idempotency';

const call = fetchWith({ redirectOn401: false });

const json = readUntypedJson;

export async function fetchPublicCategories(): Promise<PublicCategory[]> {
  return (await json<{ categories: PublicCategory[] }>(call('/api/public/categories'))).categories;
}

/**
 * Files a report: the fields as form fields and up to 4 photos (multipart, like the staff form),
 * under the submission's Idempotency-Key, sent again with it when the answer is lost.
 */
export function fileReport(fields: Record<string, string | number | undefined>, photos: readonly File[], key: string): Promise<PublicReportCreated> {
  return withRetries(() => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.append(k, String(v));
    for (const p of photos) form.append('photo', p, p.name);
    return json(call('/api/public/reports', { method: 'POST', headers: { [IDEMPOTENCY_HEADER]: key }, body: form }));
  });
}

export function fetchReport(token: string): Promise<PublicReportStatus> {
  return json(call(`/api/public/reports/${encodeURIComponent(token)}`));
}

export function rateReport(token: string, body: PublicRateBody): Promise<{ ok: true; rating: number }> {
  return json(call(`/api/public/reports/${encodeURIComponent(token)}/rate`, { method: 'POST', body: JSON.stringify(body) }));
}
