// The answers of the case routes (server/src/routes/cases.ts) beyond the summary: the list's
// rows and page, one case with its timeline, filing, actions and a unit's part. Kept apart from
// cases.ts, which the modes, powers and partner schemas these are made of build on.
import { z } from 'zod';
import { CASE_ACTIONS, CASE_EVENT_ACTIONS, CASE_STATUSES, caseSummary } from './cases.ts';
import { CASE_PART_ACTIONS, caseDeliberation, caseLeader, caseUnit, departmentRouting } from './case-modes.ts';
import { casePower } from './powers.ts';
import { partnerUnit } from './api/partners.ts';

/**
 * A case as the list and detail return it: the summary with its filer's user id; the address
 * and the reporter's phone only for roles that see personal data and for the filer;
 * distance_m only when the list was asked near a point.
 */
export const caseRow = caseSummary.extend({
  reporter_user_id: z.number().nullable(),
  reporter_phone: z.string().nullable().optional(),
  distance_m: z.number().optional(),
});
export type CaseRow = z.infer<typeof caseRow>;

/** GET /api/cases */
export const casePage = z.object({ total: z.number(), cases: z.array(caseRow) });
export type CasePage = z.infer<typeof casePage>;

/** One entry of a case's timeline. */
export const caseEvent = z.object({
  id: z.number(),
  at: z.string(),
  actor_user_id: z.number().nullable(),
  actor_label: z.string().nullable(),
  action: z.enum(CASE_EVENT_ACTIONS),
  from_status: z.enum(CASE_STATUSES).nullable(),
  to_status: z.enum(CASE_STATUSES).nullable(),
  payload: z.record(z.string(), z.unknown()).nullable(),
});
export type CaseEvent = z.infer<typeof caseEvent>;

/** A department whistled to a case (吹哨), and when it reported in (报到). */
export const caseWhistle = z.object({
  department_id: z.number(),
  department_name: z.string(),
  whistled_at: z.string(),
  reported_at: z.string().nullable(),
});
export type CaseWhistle = z.infer<typeof caseWhistle>;

/** A photo filed with a case (its bytes: GET /api/cases/:id/photos/:photoId). */
export const casePhoto = z.object({
  id: z.number(),
  mime: z.string(),
  size: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  created_at: z.string(),
});
export type CasePhoto = z.infer<typeof casePhoto>;

/** GET /api/cases/:id */
export const caseDetail = z.object({
  case: caseRow,
  events: z.array(caseEvent),
  whistles: z.array(caseWhistle),
  photos: z.array(casePhoto),
  /** The units the case may be whistled to: its community's 大党委 units (包保), the lead unit first. */
  whistle_units: z.array(partnerUnit),
  /** The delegated power (权力下放清单) the case falls under, and whether the subdistrict holds it. */
  power: casePower,
  /** 协商议办: the case's 四方共议 deliberation, once a consultation dispatch opened one. */
  deliberation: caseDeliberation.nullable(),
  /** 部门认责承办: the department the 权力清单 (else the category's default unit) names, and why. */
  department_routing: departmentRouting.nullable(),
  /** The community's linked city leader (包保), who leads a 领导领办 case. */
  city_leader: z.string().nullable(),
  /** 领导领办: the leader recorded on the case. */
  leader: caseLeader.nullable(),
  /** 领导领办 / 大党委交办: the units the case was routed to, the lead unit first. */
  units: z.array(caseUnit),
  /** 大党委交办: what this user's unit may do with its part now. */
  part_actions: z.array(z.enum(CASE_PART_ACTIONS)),
  /** Exactly what this user may do now (allowedActions, evaluated by the server). */
  allowed_actions: z.array(z.enum(CASE_ACTIONS)),
});
export type CaseDetail = z.infer<typeof caseDetail>;

/** A possible duplicate found near a new case. */
export const nearbyCase = z.object({ id: z.number(), number: z.string(), status: z.string(), distance_m: z.number() });
export type NearbyCase = z.infer<typeof nearbyCase>;

/** POST /api/cases (201), and the public report's filing. */
export const filedCase = z.object({
  id: z.number(),
  number: z.string(),
  event_id: z.number(),
  grid_id: z.number(),
  community_id: z.number(),
  subdistrict_id: z.number(),
  /** The point lay outside every grid and was moved to the nearest one. */
  snapped: z.boolean(),
  duplicates: z.array(nearbyCase),
});
export type FiledCase = z.infer<typeof filedCase>;

/** POST /api/cases/:id/actions */
export const caseActionResponse = z.object({ id: z.number(), status: z.enum(CASE_STATUSES), version: z.number(), event_id: z.number() });
export type CaseActionResponse = z.infer<typeof caseActionResponse>;

/** POST /api/cases/:id/deliberation */
export const deliberationResponse = z.object({ deliberation: caseDeliberation });
export type DeliberationResponse = z.infer<typeof deliberationResponse>;

/** POST /api/cases/:id/parts: the case's leader, units and the caller's part actions after the claim or report. */
export const casePartsResponse = z.object({ leader: caseLeader.nullable(), units: z.array(caseUnit), part_actions: z.array(z.enum(CASE_PART_ACTIONS)) });
export type CasePartsResponse = z.infer<typeof casePartsResponse>;

