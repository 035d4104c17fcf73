// The planner's one target: households per grid that the table's deviations, the map labels and
// auto-balance all measure against. It defaults to the community's own mean (households / grids
// as they stand) and is remembered per community in the browser; the auto-balance settings
// (steps, tolerance) are checked here before a run, and its failure is told with the numbers.

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
    return { target: null, error: `目标规模须在 ${TARGET_RANGE.min}–${TARGET_RANGE.max} 户之间` };
  return { target: Math.round(v), error: '' };
}

export interface BalanceSettings {
  steps: number;
  tolerancePct: number;
}

/** The steps and tolerance as typed, checked: the settings, or the reasons in Chinese. */
export function checkBalanceSettings(steps: unknown, tolerancePct: unknown): { ok: true; settings: BalanceSettings } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const s = Number(steps), t = Number(tolerancePct);
  if (steps === '' || steps === null || !Number.isInteger(s) || s < STEPS_RANGE.min || s > STEPS_RANGE.max)
    errors.push(`步数须是 ${STEPS_RANGE.min}–${STEPS_RANGE.max} 之间的整数`);
  if (tolerancePct === '' || tolerancePct === null || !Number.isFinite(t) || t < TOLERANCE_RANGE.min || t > TOLERANCE_RANGE.max)
    errors.push(`容差须在 ±${TOLERANCE_RANGE.min}% 到 ±${TOLERANCE_RANGE.max}% 之间`);
  return errors.length ? { ok: false, errors } : { ok: true, settings: { steps: s, tolerancePct: t } };
}

/**
 * What to try after a run that did not reach the tolerance: twice the steps (within range) and a
 * tolerance just wide enough for the deviation it reached (within range).
 */
export function balanceAdvice(settings: BalanceSettings, maxDeviationPct: number): string {
  const steps = Math.min(STEPS_RANGE.max, settings.steps * 2);
  const tol = Math.min(TOLERANCE_RANGE.max, Math.ceil(maxDeviationPct));
  const tries: string[] = [];
  if (steps > settings.steps) tries.push(`将步数增至 ${steps}`);
  if (tol > settings.tolerancePct) tries.push(`将容差放宽到 ±${tol}%`);
  return tries.length
    ? `${settings.steps} 步后最大偏差 ${maxDeviationPct.toFixed(1)}%，未达到 ±${settings.tolerancePct}%：可${tries.join('，或')}`
    : `${settings.steps} 步后最大偏差 ${maxDeviationPct.toFixed(1)}%，未达到 ±${settings.tolerancePct}%`;
}
