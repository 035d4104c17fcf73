// The planner's one target: households per grid that the table's deviations, the map labels and
// auto-balance all measure against. It defaults to the community's own mean (households / grids
// as they stand) and is remembered per community in the browser; the auto-balance settings
// (steps, tolerance) are checked here before a run, and its failure is told with the numbers.
import { t } from '../i18n';

/** Bounds of the settings the planner accepts. */
export const TARGET_RANGE = { min: 1, max: 5000 } as const;
export const STEPS_RANGE = { min: 1000, max: 200_000 } as const;
export const TOLERANCE_RANGE = { min: 1, max: 50 } as const;
export const DEFAULT_STEPS = 20_000;
export const DEFAULT_TOLERANCE_PCT = 10;

const key = (community: number) => `grid-atlas:planner-target:${community}`;

/** The community's own mean, rounded: total households / grids (0 without grids). */
export function communityMean(households: number, grids: number): number {
  return grids > 0 ? Math.round(households / grids) : 0;
}

/** The target remembered for a community, or null (none, or not a valid number). */
export function loadTarget(storage: Pick<Storage, 'getItem'>, community: number): number | null {
  const v = Number(storage.getItem(key(community)));
  return Number.isInteger(v) && v >= TARGET_RANGE.min && v <= TARGET_RANGE.max ? v : null;
}

/** Remembers a target for a community; null forgets it (the community's mean again). */
export function saveTarget(storage: Pick<Storage, 'setItem' | 'removeItem'>, community: number, target: number | null): void {
  if (target === null) storage.removeItem(key(community));
  else storage.setItem(key(community), String(target));
}

/**
 * What the target input holds, as a target: a whole number in range, or null with the reason
 * (empty: null and no reason, the community's mean applies).
 */
export function parseTarget(raw: string | number | null | undefined): { target: number | null; error: string } {
  if (raw === null || raw === undefined || String(raw).trim() === '') return { target: null, error: '' };
  const v = Number(raw);
  if (!Number.isFinite(v) || v < TARGET_RANGE.min || v > TARGET_RANGE.max)
    return { target: null, error: t('planner.balance.targetRange', { min: TARGET_RANGE.min, max: TARGET_RANGE.max }) };
  return { target: Math.round(v), error: '' };
}

export interface BalanceSettings {
  steps: number;
  tolerancePct: number;
}

/** The steps and tolerance as typed, checked: the settings, or the reasons in words. */
export function checkBalanceSettings(steps: unknown, tolerancePct: unknown): { ok: true; settings: BalanceSettings } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const s = Number(steps), tol = Number(tolerancePct);
  if (steps === '' || steps === null || !Number.isInteger(s) || s < STEPS_RANGE.min || s > STEPS_RANGE.max)
    errors.push(t('planner.balance.stepsRange', { min: STEPS_RANGE.min, max: STEPS_RANGE.max }));
  if (tolerancePct === '' || tolerancePct === null || !Number.isFinite(tol) || tol < TOLERANCE_RANGE.min || tol > TOLERANCE_RANGE.max)
    errors.push(t('planner.balance.toleranceRange', { min: TOLERANCE_RANGE.min, max: TOLERANCE_RANGE.max }));
  return errors.length ? { ok: false, errors } : { ok: true, settings: { steps: s, tolerancePct: tol } };
}

/**
 * What to try after a run that did not reach the tolerance: twice the steps (within range) and a
 * tolerance just wide enough for the deviation it reached (within range).
 */
export function balanceAdvice(settings: BalanceSettings, maxDeviationPct: number): string {
  const steps = Math.min(STEPS_RANGE.max, settings.steps * 2);
  const tol = Math.min(TOLERANCE_RANGE.max, Math.ceil(maxDeviationPct));
  const tries: string[] = [];
  if (steps > settings.steps) tries.push(t('planner.balance.adviceSteps', { n: steps }));
  if (tol > settings.tolerancePct) tries.push(t('planner.balance.adviceTolerance', { n: tol }));
  const head = t('planner.balance.adviceHead', { steps: settings.steps, dev: maxDeviationPct.toFixed(1), tol: settings.tolerancePct });
  return tries.length ? t('planner.balance.adviceTry', { head, tries: tries.join(t('planner.balance.adviceOr')) }) : head;
}
