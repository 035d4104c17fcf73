// The command centre's coverage and its map layer choice: the chosen cadre kind's covered share per
// grid (for the coverage panel, the ranking and the coverage choropleth), the heat map's cells, and
// the metric the grids are coloured by. The page and its panels read the one state held here.
import { computed, markRaw, ref, shallowRef, watch, type Ref } from 'vue';
import type { CoverageKind } from '@grid-atlas/contract';
import type { HeatCell } from '../layers/heat';
import { fetchCoverage } from '../api/coverage';
import { useAtlasStore } from '../stores/atlas';
import { useNoticeStore } from '../stores/notices';
import { t } from '../i18n';
import { classify, legendRows, metricDef, type MetricId } from './metrics';

export interface CoverageRow {
  households: number;
  covered: number;
}

export interface CoverageTotals {
  households: number;
  covered: number;
  uncovered: number;
  /** Grids with households of which fewer than half are covered. */
  lowGrids: number;
}

/** Totals over the rows of the grids in `only` (all rows when null). */
export function coverageTotals(rows: ReadonlyMap<number, CoverageRow>, only: ReadonlySet<number> | null): CoverageTotals {
  let households = 0;
  let covered = 0;
  let lowGrids = 0;
  for (const [id, g] of rows) {
    if (only && !only.has(id)) continue;
    households += g.households;
    covered += g.covered;
    if (g.households > 0 && g.covered / g.households < 0.5) lowGrids++;
  }
  return { households, covered, uncovered: households - covered, lowGrids };
}

/** The covered share as a percent with one decimal, or a dash when nothing is known. */
export function coveragePercent(sum: CoverageTotals | null): string {
  return sum && sum.households > 0 ? ((sum.covered / sum.households) * 100).toFixed(1) : '—';
}

/** `areaGrids`: the grid ids in view (null: the whole city), for the totals. */
export function useCoverage(areaGrids: Ref<ReadonlySet<number> | null>) {
  const atlas = useAtlasStore();
  const notices = useNoticeStore();
  const metric = ref<MetricId>('households');
  const kind = ref<CoverageKind>('in_service');
  /** Covered share per grid id for the chosen cadre kind; null until known. */
  const coverage = ref<ReadonlyMap<number, number> | null>(null);
  /** Per grid rows of the chosen kind, by grid id. */
  const rows = ref<ReadonlyMap<number, CoverageRow> | null>(null);
  const totals = computed(() => (rows.value ? coverageTotals(rows.value, areaGrids.value) : null));
  const percent = computed(() => coveragePercent(totals.value));
  watch(
    kind,
    async (k) => {
      coverage.value = null;
      try {
        const res = await fetchCoverage(k);
        if (k !== kind.value) return;
        const m = new Map<number, number>();
        const byGrid = new Map<number, CoverageRow>();
        for (const g of res.grids) {
          if (g.households > 0) m.set(g.grid_id, g.covered / g.households);
          byGrid.set(g.grid_id, g);
        }
        coverage.value = m;
        rows.value = byGrid;
      } catch (err) {
        notices.report(t('command.failed.coverage'), err);
      }
    },
    { immediate: true },
  );

  // The heatmap's cells for the chosen kind, fetched when the heat metric is on (cached per kind).
  const heatCells = shallowRef<readonly HeatCell[] | null>(null);
  const heatCache = new Map<CoverageKind, readonly HeatCell[]>();
  watch([metric, kind], async ([m, k]) => {
    if (m !== 'heat') return;
    const cached = heatCache.get(k);
    if (cached) {
      heatCells.value = cached;
      return;
    }
    try {
      const res = await fetchCoverage(k, undefined, true);
      const cells = markRaw((res.cells ?? []) as HeatCell[]);
      heatCache.set(k, cells);
      if (metric.value === 'heat' && kind.value === k) heatCells.value = cells;
    } catch (err) {
      notices.report(t('command.failed.heat'), err);
    }
  });

  const classified = computed(() => (atlas.grids ? classify(metric.value, atlas.grids, coverage.value) : null));
  const legend = computed(() => (classified.value ? legendRows(metric.value, classified.value) : []));
  const metricDefOf = computed(() => metricDef(metric.value));

  return { metric, kind, coverage, rows, totals, percent, heatCells, classified, legend, metricDef: metricDefOf };
}

export type Coverage = ReturnType<typeof useCoverage>;
