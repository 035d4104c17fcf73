// The residents' report page's calls (server/src/routes/public-reports.ts): no session, so a 401
// never sends anyone to the sign-in page (the quiet `hc` client). Bodies and answers are the
// contract's types.
import type { PublicCategory, PublicRateBody, PublicRateResponse, PublicReportCreated, PublicReportStatus } from '@grid-atlas/contract';
import { quietApi } from './client';
import { readJson } from './http';
import { IDEMPOTENCY_HEADER, withRetries } from './idempotency';

export async function fetchPublicCategories(): Promise<PublicCategory[]> {
  return (await readJson(quietApi.public.categories.$get())).categories;
}

/**
 * Files a report: the fields as form fields and up to 4 photos (multipart, like the staff form),
 * under the submission's Idempotency-Key, sent again with it when the answer is lost. The route
 * reads the multipart body itself, so it goes as the request's own body.
 */
export function fileReport(fields: Record<string, string | number | undefined>, photos: readonly File[], key: string): Promise<PublicReportCreated> {
  return withRetries(() => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.append(k, String(v));
    for (const p of photos) form.append('photo', p, p.name);
    return readJson(quietApi.public.reports.$post(undefined, { headers: { [IDEMPOTENCY_HEADER]: key }, init: { body: form } }));
  });
}

/** The token as one path segment (hc puts a parameter in the path as it is). */
const byToken = (token: string) => ({ param: { token: encodeURIComponent(token) } });

export function fetchReport(token: string): Promise<PublicReportStatus> {
  return readJson(quietApi.public.reports[':token'].$get(byToken(token)));
}

export function rateReport(token: string, body: PublicRateBody): Promise<PublicRateResponse> {
  return readJson(quietApi.public.reports[':token'].rate.$post({ ...byToken(token), json: body }));
}
