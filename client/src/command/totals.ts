// The overview panel's four figures for the area in view: a grid's own figures, a community's, or
// those of the drilled subdistrict or the whole city. Kept apart from the page so each level's
// choice is plain data with a test.
import type { CommunityProps, GridProps, HealthCounts, SubdistrictProps } from '@grid-atlas/contract';

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

const figure = (key: string, label: string, value: number | null | undefined, unit: string, accent = false): Figure => ({
  key, testid: `total-${key}`, label, value, unit, ...(accent ? { accent } : {}),
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
      figure('households', '住户', g.households, '户', true),
      figure('difficulty', '困难户', g.in_difficulty, '户'),
      { ...figure('area', '面积', null, 'km²'), text: g.area_km2.toFixed(2) },
      figure('cadres', '联系干部', g.cadres, '人'),
    ];
  }
  if (cm) {
    return [
      figure('households', '住户', cm.households, '户', true),
      figure('grids', '网格', cm.grids, '个'),
      figure('difficulty', '困难户', cm.in_difficulty, '户'),
      figure('cadres', '联系干部', cm.cadres, '人'),
    ];
  }
  return [
    figure('households', '住户', sd ? sd.households : counts?.households, '户', true),
    figure('grids', '网格', sd ? sd.grids : counts?.grids, '个'),
    figure('communities', '社区', sd ? sd.communities : counts?.communities, '个'),
    figure('cadres', '联系干部', sd ? sd.cadres : counts?.cadres, '人'),
  ];
}
