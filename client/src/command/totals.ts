// The overview panel's four figures for the area in view: a grid's own figures, a community's, or
// those of the drilled subdistrict or the whole city. Kept apart from the page so each level's
// choice is plain data with a test.
import type { CommunityProps, GridProps, HealthCounts, SubdistrictProps } from '@grid-atlas/contract';
import { t } from '../i18n';

/** One figure of a panel's grid of figures. */
export interface Figure {
  key: string;
  /** The element's data-testid. */
  testid: string;
  label: string;
  /** Shown after the label as （unit）; none when absent. */
  unit?: string;
  value?: number | null;
  /** Shown instead of the value when set. */
  text?: string;
  accent?: boolean;
  warn?: boolean;
}

type Label = 'households' | 'difficulty' | 'area' | 'cadres' | 'grids' | 'communities';
type Unit = 'households' | 'count' | 'people';

/** A figure labelled command.totals.<label>; its unit a command.unit.* text (English leaves some out) or as written (km²). */
const figure = (key: Label, value: number | null | undefined, unit: Unit | { text: string }, accent = false): Figure => ({
  key, testid: `total-${key}`, label: t(`command.totals.${key}`), value,
  unit: typeof unit === 'string' ? t(`command.unit.${unit}`) : unit.text, ...(accent ? { accent } : {}),
});

/** The deepest of grid, community, subdistrict (null: the city's counts) speaks for the area. */
export function overviewFigures(
  counts: HealthCounts | undefined,
  sd: SubdistrictProps | null,
  cm: CommunityProps | null,
  g: GridProps | null,
): Figure[] {
  if (g) {
    return [
      figure('households', g.households, 'households', true),
      figure('difficulty', g.in_difficulty, 'households'),
      { ...figure('area', null, { text: 'km²' }), text: g.area_km2.toFixed(2) },
      figure('cadres', g.cadres, 'people'),
    ];
  }
  if (cm) {
    return [
      figure('households', cm.households, 'households', true),
      figure('grids', cm.grids, 'count'),
      figure('difficulty', cm.in_difficulty, 'households'),
      figure('cadres', cm.cadres, 'people'),
    ];
  }
  return [
    figure('households', sd ? sd.households : counts?.households, 'households', true),
    figure('grids', sd ? sd.grids : counts?.grids, 'count'),
    figure('communities', sd ? sd.communities : counts?.communities, 'count'),
    figure('cadres', sd ? sd.cadres : counts?.cadres, 'people'),
  ];
}
