// The figures behind the command centre's panels, for the area in view (the city or a drilled
// subdistrict): the last 30 days' KPIs with the three-level scoreboard (GET /api/kpis), today's
// cases, a 30-day trend of filings (GET /api/kpis/trend, one request) and the open cases by
// category (GET /api/cases/by-category, one request), all asked at once. Each load supersedes the previous one; refresh()
// re-reads them in place when cases move (the live stream).
import { ref, shallowRef, watch, type Ref } from 'vue';
import { OPEN_STATUSES, type KpiResponse, type KpiUnit } from '@grid-atlas/contract';
import { fetchKpiTrend, fetchKpis } from '../api/kpis';
import { fetchCaseCounts } from '../api/cases';
import { shanghaiDate } from '../time/format';
import { categoryName, t } from '../i18n';

export const TREND_DAYS = 30;
/** Rows per level on the scoreboard. */
export const BOARD_ROWS = 3;

/** The area the panels describe. */
export type Area = { level: 'city' } | { level: 'subdistrict' | 'community' | 'grid'; id: number };

export interface Scoreboard {
  subdistrict: KpiUnit[];
  community: KpiUnit[];
  grid: KpiUnit[];
}

const top = (units: KpiUnit[]) => units.filter((u) => u.rank != null).sort((a, b) => a.rank! - b.rank!).slice(0, BOARD_ROWS);

/** The category panel's rows: the categories with open cases, the largest first (ties in display order). */
export function openCategoryRows(categories: readonly { code: string; name: string; count: number }[]): { name: string; open: number }[] {
  return categories.filter((c) => c.count > 0).map((c) => ({ name: categoryName(c.code, c.name), open: c.count })).sort((a, b) => b.open - a.open);
}

/**
 * `root` is the widest area the centre shows: the city for city roles, their subdistrict for a
 * subdistrict's administrator (who has no city-wide KPIs: the server answers 404 for them).
 */
export function useCommandPanels(areaRef: Ref<Area>, onError: (what: string, err: unknown) => void, root: Area = { level: 'city' }) {
  /** The last 30 days of the area in view. */
  const month = shallowRef<KpiResponse | null>(null);
  /** Today (Asia/Shanghai) of the area in view. */
  const today = shallowRef<KpiResponse | null>(null);
  const board = shallowRef<Scoreboard | null>(null);
  const trend = shallowRef<{ day: string; cases: number }[] | null>(null);
  const categories = shallowRef<{ name: string; open: number }[] | null>(null);
  const loading = ref(false);
  let generation = 0;

  /** The KPIs of the area, today's and the three boards. */
  async function figures(area: Area) {
    const day = shanghaiDate(new Date());
    // The boards rank the units around the area: communities of its subdistrict (or the root),
    // grids of its community (or subdistrict, or the root); subdistricts only in the city's centre.
    const communityArea = area.level === 'city' || area.level === 'subdistrict' ? area : root;
    const gridArea = area.level === 'grid' ? root : area;
    const [m, t, sds, comms, grids] = await Promise.all([
      fetchKpis({ ...area }),
      fetchKpis({ ...area, from: day, to: day }),
      root.level === 'city' ? fetchKpis({ level: 'city', group: 'subdistrict' }) : { units: [] },
      fetchKpis({ ...communityArea, group: 'community' }),
      fetchKpis({ ...gridArea, group: 'grid' }),
    ]);
    return { day, month: m, today: t, board: { subdistrict: top(sds.units), community: top(comms.units), grid: top(grids.units) } };
  }

  /** Open cases per category in the area (GET /api/cases/by-category, one request), the largest first. */
  async function openByCategory(area: Area) {
    const { categories } = await fetchCaseCounts({ status: OPEN_STATUSES, ...(area.level === 'city' ? {} : { [area.level]: area.id }) });
    return openCategoryRows(categories);
  }

  /** The last TREND_DAYS days of filings, one request (GET /api/kpis/trend). */
  async function dailyFilings(area: Area) {
    const res = await fetchKpiTrend({ ...area, days: TREND_DAYS });
    return res.days;
  }

  /**
   * Loads every panel of the area at once; each panel shows its figures as soon as they arrive
   * (null meanwhile: the panels say 加载中), so a slow query holds up only its own panel.
   */
  async function load(area: Area): Promise<void> {
    const gen = ++generation;
    const stale = () => gen !== generation;
    loading.value = true;
    month.value = today.value = board.value = trend.value = categories.value = null;
    const kpis = figures(area).then(
      (f) => {
        if (stale()) return;
        month.value = f.month;
        today.value = f.today;
        board.value = f.board;
      },
      (err) => {
        if (!stale()) onError(t('command.failed.kpis'), err);
      },
    );
    const cats = openByCategory(area).then(
      (counts) => {
        if (!stale()) categories.value = counts;
      },
      (err) => {
        if (!stale()) onError(t('command.failed.categories'), err);
      },
    );
    const days = dailyFilings(area).then(
      (points) => {
        if (!stale()) trend.value = points;
      },
      (err) => {
        if (!stale()) onError(t('command.failed.trend'), err);
      },
    );
    await Promise.all([kpis, cats, days]);
    if (!stale()) loading.value = false;
  }

  /**
   * Re-reads the figures in place, without blanking the panels (the live stream calls this as
   * cases move): the KPIs, the boards, the open cases by category and today's point of the trend.
   * A drill or another refresh started meanwhile wins; a failure keeps the figures shown.
   */
  async function refresh(): Promise<void> {
    if (loading.value || !month.value) return;
    const gen = generation;
    const area = areaRef.value;
    try {
      const [f, counts] = await Promise.all([figures(area), openByCategory(area)]);
      if (gen !== generation) return;
      month.value = f.month;
      today.value = f.today;
      board.value = f.board;
      categories.value = counts;
      const points = trend.value;
      if (points?.length && points[points.length - 1].day === f.day) trend.value = [...points.slice(0, -1), { day: f.day, cases: f.today.total.cases }];
    } catch {
      // The next event tries again; the figures on the wall stay as they were.
    }
  }

  watch(areaRef, (a) => void load(a), { immediate: true });
  return { month, today, board, trend, categories, loading, reload: () => load(areaRef.value), refresh };
}
