// The plans panel's comparison (方案对比) as a composable: two of the community's plans picked (or
// the layout as it stands), each draft's own detail fetched, compared on the loaded blocks'
// households against the planner's one target (planner/compare.ts), and the blocks the two put in
// different grids outlined on the map. The comparison closes when the blocks reload.
import { ref, shallowRef, type Ref } from 'vue';
import type { PlanSummary } from '@grid-atlas/contract';
import { getPlan } from '../api/plans';
import { useNoticeStore } from '../stores/notices';
import { comparePlans, type BlockFigures, type Comparison, type PlanSide } from './compare';
import { t } from '../i18n';
import { statusLabel } from './plans';
import type { PlannerMap } from './PlannerMap';
import type { Editor } from './useEditor';

/** The pick that stands for the layout as it stands (not a plan). */
export const CURRENT = 'current';

export interface ComparisonShown extends Comparison {
  labelA: string;
  labelB: string;
  target: number;
}

export function useCompare(ed: Editor, plans: Ref<PlanSummary[]>, map: () => PlannerMap | null) {
  const notices = useNoticeStore();
  const pickA = ref<string>(CURRENT);
  const pickB = ref<string>('');
  const shown = shallowRef<ComparisonShown | null>(null);

  function planLabel(p: PlanSummary): string {
    return `#${p.id} ${statusLabel(p.status)}`;
  }
  const label = (pick: string) => {
    if (pick === CURRENT) return t('planner.plans.current');
    const p = plans.value.find((x) => String(x.id) === pick);
    return p ? planLabel(p) : `#${pick}`;
  };

  /** The layout as it stands: the loaded blocks' grids, numbered as the grids on the server. */
  function currentSide(): PlanSide {
    const assignments = (ed.blocks?.features ?? []).filter((f) => f.properties.grid_id !== null).map((f) => ({ block: f.id, grid: f.properties.grid_id! }));
    const numbers = new Map([...ed.gridInfo.value].map(([key, g]) => [key, g.number]));
    return { assignments, numbers };
  }

  async function side(pick: string): Promise<PlanSide> {
    if (pick === CURRENT) return currentSide();
    const d = await getPlan(Number(pick));
    return { assignments: d.assignments, numbers: new Map(d.grids.map((g) => [g.key, g.number])) };
  }

  async function run(): Promise<void> {
    if (!pickA.value || !pickB.value || pickA.value === pickB.value) return;
    ed.busy.value = true;
    try {
      const [a, b] = await Promise.all([side(pickA.value), side(pickB.value)]);
      const blocks = new Map<number, BlockFigures>((ed.blocks?.features ?? []).map((f) => [f.id, f.properties]));
      const target = ed.target.value;
      const c = comparePlans(a, b, blocks, target);
      shown.value = { ...c, labelA: label(pickA.value), labelB: label(pickB.value), target };
      map()?.setCompared(c.differing);
    } catch (err) {
      notices.report(t('planner.plans.compareContext'), err);
    } finally {
      ed.busy.value = false;
    }
  }

  /** One plan on the map: compared with the grids as they stand, what it would change outlined. */
  function showOnMap(plan: PlanSummary): Promise<void> {
    pickA.value = CURRENT;
    pickB.value = String(plan.id);
    return run();
  }

  function close(): void {
    shown.value = null;
    map()?.setCompared([]);
  }

  return { pickA, pickB, shown, planLabel, run, showOnMap, close };
}

export type Compare = ReturnType<typeof useCompare>;
