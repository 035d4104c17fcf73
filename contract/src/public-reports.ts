// Residents' reports (居民点单) without an account: the public report page files a case, the
// resident keeps a private follow link (a random token; only its hash is stored) to see the
// case's progress and rate the result. What the follow page shows is the resident's own case
// only, and nothing about the people working it.
import { z } from 'zod';
import { CASE_LEVELS, CASE_STATUS_LABELS, CASE_TEXT_LIMITS, categoryCode, type CaseStatus } from './cases.ts';

/** Abuse limits per client address and per phone number (a 429 with Retry-After beyond them). */
export const PUBLIC_REPORT_LIMITS = {
  perAddressHour: 5,
  perAddressDay: 20,
  perPhoneDay: 5,
} as const;

/** 32 random bytes, base64url: 43 characters. */
export const followToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, '链接无效 (not a valid follow link)');

const lon = z.number({ message: '请在地图上选择位置 (pick the place on the map: lon is missing)' }).min(-180).max(180);
const lat = z.number({ message: '请在地图上选择位置 (pick the place on the map: lat is missing)' }).min(-90).max(90);

/** A mainland mobile number or a landline with area code; spaces and dashes are allowed. */
const phone = z.string().trim()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}\d{7,8})$/, '请填写有效的手机号或带区号的座机号 (not a valid phone number)'));

/** POST /api/public/reports (JSON, or multipart with up to 4 `photo` files). */
export const publicReportBody = z.object({
  category: categoryCode,
  lon,
  lat,
  description: z.string().trim().min(5, '请用至少 5 个字描述问题 (describe the problem in at least 5 characters)')
    .max(CASE_TEXT_LIMITS.description, `描述最多 ${CASE_TEXT_LIMITS.description} 个字符 (at most ${CASE_TEXT_LIMITS.description} characters)`),
  address: z.string().trim().max(CASE_TEXT_LIMITS.address, `地址最多 ${CASE_TEXT_LIMITS.address} 个字符 (address: at most ${CASE_TEXT_LIMITS.address} characters)`).optional(),
  phone: phone.optional(),
}).strict();
export type PublicReportBody = z.infer<typeof publicReportBody>;

export const publicReportCreated = z.object({
  number: z.string(),
  /** the private follow token: shown once, never stored in clear */
  token: followToken,
  /** the page that follows the case, relative to the site */
  follow: z.string(),
});
export type PublicReportCreated = z.infer<typeof publicReportCreated>;

/** Residents see a simpler account of the statuses than staff do. */
export const PUBLIC_STATUS_LABELS: Record<CaseStatus, string> = {
  ...CASE_STATUS_LABELS,
  submitted: '已收到',
  accepted: '已受理',
  dispatched: '已交办',
  claimed: '办理中',
  in_progress: '办理中',
  resolved: '已办结，待核查',
  verified: '已核查',
  closed: '已办结',
};

/** The events a resident's follow page shows, in order of the lifecycle: status changes and the
 *  outcome. Whistles, supervision, comments and warnings stay inside and are never sent. */
export const PUBLIC_STEP_ACTIONS = [
  'submit', 'accept', 'dispatch', 'claim', 'start', 'resolve', 'verify', 'reopen', 'close', 'rate', 'reject',
  'mark_duplicate', 'escalate',
] as const;
export type PublicStepAction = typeof PUBLIC_STEP_ACTIONS[number];

/** How the follow page words each of those events to the resident (not the staff's action names). */
export const PUBLIC_STEP_LABELS: Record<PublicStepAction, string> = {
  submit: '已收到您的反映',
  accept: '已受理',
  dispatch: '已交办给承办人员',
  claim: '承办人员已接单',
  start: '开始办理',
  resolve: '已办结，等待核查',
  verify: '已核查',
  reopen: '核查未通过，重新办理',
  close: '已结案',
  rate: '您已评价',
  reject: '不予受理',
  mark_duplicate: '与已有反映重复，合并办理',
  escalate: '已提交上级协调办理',
};

/** GET /api/public/reports/:token */
export const publicReportStatus = z.object({
  number: z.string(),
  category: z.string(),
  category_name: z.string(),
  description: z.string(),
  status: z.string(),
  status_label: z.string(),
  /** which level of the four handles it now: its code, and in words (网格/社区/街道/市级) */
  level: z.enum(CASE_LEVELS),
  level_label: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullable(),
  photos: z.number(),
  /** status changes and the outcome, without names of staff */
  timeline: z.array(z.object({ at: z.string(), action: z.enum(PUBLIC_STEP_ACTIONS), label: z.string(), note: z.string().nullable() })),
  rating: z.number().nullable(),
  can_rate: z.boolean(),
});
export type PublicReportStatus = z.infer<typeof publicReportStatus>;

/** POST /api/public/reports/:token/rate */
export const publicRateBody = z.object({
  rating: z.number({ message: '请选择 1–5 星 (rating must be 1–5)' }).int().min(1, '请选择 1–5 星 (rating must be 1–5)').max(5, '请选择 1–5 星 (rating must be 1–5)'),
  note: z.string().trim().max(CASE_TEXT_LIMITS.comment, `最多 ${CASE_TEXT_LIMITS.comment} 个字符 (at most ${CASE_TEXT_LIMITS.comment} characters)`).optional(),
}).strict();
export type PublicRateBody = z.infer<typeof publicRateBody>;

/** POST /api/public/reports/:token/rate */
export const publicRateResponse = z.object({ ok: z.literal(true), rating: z.number() });
export type PublicRateResponse = z.infer<typeof publicRateResponse>;

/** GET /api/public/categories: what a resident may report (no limits or departments). */
export const publicCategory = z.object({ code: z.string(), name: z.string(), group: z.string() });
export type PublicCategory = z.infer<typeof publicCategory>;
