// The command centre's map: the atlas (bound as on the city map) plus the layers only the wall
// shows: the live or replayed cases with their pulses, the heat map, the household dots and the
// grids coloured by the chosen metric. Each layer reports what it drew on <html>'s data-command-*
// attributes, which the browser tests read. The map follows the stage's size.
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import type { CasePoint } from '../layers/cases';
import { useAtlasMap } from '../composables/useAtlasMap';
import { bindAtlasData } from '../composables/bindAtlasData';
import { useAtlasStore } from '../stores/atlas';
import { withMetric } from './metrics';
import { PULSE_MS } from './live';
import { panelPadding, stageScale } from './stage';
import type { Coverage } from './coverage';
import type { HouseholdDots } from './households';

export interface CommandMapInputs {
  cases: Ref<CasePoint[]>;
  /** The cases that just arrived (id → arrival time), to pulse. */
  arrivals: Ref<ReadonlyMap<number, number>>;
  coverage: Coverage;
  dots: HouseholdDots;
  onSelectGrid: (id: number | null) => void;
  onPickCase: (id: number) => void;
}

export function useCommandMap(mapEl: Ref<HTMLElement | null>, stageEl: Ref<HTMLElement | null>, inputs: CommandMapInputs): void {
  const atlas = useAtlasStore();
  const { cases, arrivals, coverage, dots } = inputs;
  const html = document.documentElement;
  const handle = useAtlasMap(
    mapEl,
    { padding: () => panelPadding(stageScale(stageEl.value)), onSelectGrid: inputs.onSelectGrid, onZoom: () => undefined, onPickCase: inputs.onPickCase, wallLabels: true },
    (m) => [
      ...bindAtlasData(m),
      watch(cases, (p) => {
        m.setCases(p);
        html.dataset.commandCases = String(m.casesDrawn);
        html.dataset.commandEmergencyCases = String(m.emergencyCasesDrawn);
      }, { immediate: true }),
      watch([coverage.heatCells, coverage.metric], ([cells, mt]) => {
        m.setHeat(mt === 'heat' ? cells : null);
        html.dataset.commandHeatCells = String(m.heatCells);
      }, { immediate: true }),
      watch(dots.households, (h) => m.setHouseholds(h), { immediate: true }),
      watch([dots.show, dots.households], ([on, h]) => {
        m.setHouseholdsVisible(on, 0);
        html.dataset.commandHouseholds = String(h && on ? m.householdsDrawn : 0);
        html.dataset.commandHouseholdDots = String(h && on ? m.householdDots : 0);
      }, { immediate: true }),
      watch(arrivals, (a) => m.pulseCases(a, PULSE_MS), { immediate: true }),
      watch(
        coverage.classified,
        (c) => {
          if (c && atlas.grids) m.setGridChoropleth(withMetric(atlas.grids, c.values), c.breaks, c.colors);
        },
        { immediate: true },
      ),
    ],
  );

  // The stage's size changes with the window (and full screen): the map must follow.
  let observer: ResizeObserver | undefined;
  onMounted(() => {
    observer = new ResizeObserver(() => handle.map?.resize());
    if (stageEl.value) observer.observe(stageEl.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
}
