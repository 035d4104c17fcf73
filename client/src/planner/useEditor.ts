// The planner's editing session as a composable: the loaded blocks and their graph, the
// PlanEditor with its undo/redo (kept per community across a reload, planner/session.ts), the one
// target every figure measures against, the table rows and balance figures refreshed after each
// edit, the hover tooltip, and auto-balance run in a Web Worker as one undoable step. The page
// composes it with the map tools and the plans panel; it owns no markup.
//
// The editor and the graph live in plain variables, not reactive state: they are large and change
// in place; `tick` is bumped after each edit so the computed figures refresh.
import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import {
  PlanEditor,
  buildBlockGraph,
  createAssignment,
  type Assignment,
  type BalanceProgress,
  type BlockGraph,
  type GridKey,
  type Violation,
} from '@grid-atlas/geodata/plan';
import type { BlockProps, GridProps } from '@grid-atlas/contract';
import type { BlockTip } from '../components/planner/BlockTooltip.vue';
import { PeopleError, peopleMessage } from '../api/http';
import { t } from '../i18n';
import { fetchGrids } from '../api/geo';
import { fetchBlocks, type BlockCollection } from '../api/plans';
import { markPlannerLoaded } from '../map/testHooks';
import { useNoticeStore } from '../stores/notices';
import { BalanceClient, type BalanceRun } from './balance';
import { blocksBounds, brushBlocks, carryColours, colourGrids, diffBlocks, freeGridNumber, gridLabelPoints, ringCentroid } from './blocks';
import { GRID_PALETTE, type PlannerMap } from './PlannerMap';
import { baseSignature, loadSession, saveSession } from './session';
import { reasonsText } from './text';
import {
  DEFAULT_STEPS,
  DEFAULT_TOLERANCE_PCT,
  balanceAdvice,
  checkBalanceSettings,
  communityMean,
  loadTarget,
  parseTarget,
  saveTarget,
} from './target';

export type Status = { kind: 'ok' | 'refused' | 'info'; text: string } | null;
/** The grids on screen and their colours, carried over a reload whose grid keys change. */
export type ColourSnapshot = { assignment: Assignment; colours: Map<GridKey, number> };

export interface EditorHooks {
  community: Ref<number | null>;
  canEdit: Ref<boolean>;
  map(): PlannerMap | null;
  /** Pixels to keep clear at the map's foot when framing the community (the legend). */
  legendPx(): number;
  /** Runs beside each (re)load of the blocks (the plan list), after `onReload`. */
  alongside(): Promise<unknown>;
  /** Called as a (re)load starts (the plans panel clears its validation errors). */
  onReload(): void;
  /** The loaded blocks, for the drawing tool's snapping. */
  onBlocks(fc: BlockCollection): void;
}

export function useEditor(hooks: EditorHooks) {
  const { community } = hooks;
  const notices = useNoticeStore();

  let editor: PlanEditor | null = null;
  let graph: BlockGraph | null = null;
  let blockFc: BlockCollection | null = null;
  /** The loaded blocks' figures by block id, for the hover tooltip. */
  let blockById = new Map<number, BlockProps>();
  let centroids: [number, number][] = [];
  let signature = '';
  let colours = new Map<GridKey, number>();
  let balancer: BalanceClient | null = null;
  const tick = ref(0);
  const loading = ref(false);
  const loadError = ref('');
  const status = ref<Status>(null);
  /** A request to the server is running (the buttons that would send another wait). */
  const busy = ref(false);
  const gridInfo = ref(new Map<string, GridProps>());
  /** The community's own mean: households / grids as they stand on the server. */
  const ownMean = ref(0);
  /**
   * The one target (households per grid) the table, the map labels, the hint and auto-balance all
   * measure against: what the user typed, remembered per community, else the community's mean.
   */
  const targetInput = ref<number | string | null>(null);
  const targetParsed = computed(() => parseTarget(targetInput.value));
  const target = computed(() => targetParsed.value.target ?? ownMean.value);

  function setTarget(value: number | null): void {
    targetInput.value = value;
    if (community.value !== null) saveTarget(localStorage, community.value, value);
  }
  function onTargetChange(): void {
    const p = targetParsed.value;
    if (!p.error) setTarget(p.target);
  }

  /** Auto-balance's steps and tolerance (±%), as typed; checked before a run. */
  const stepsInput = ref<number | string>(DEFAULT_STEPS);
  const toleranceInput = ref<number | string>(DEFAULT_TOLERANCE_PCT);
  const settingsCheck = computed(() => checkBalanceSettings(stepsInput.value, toleranceInput.value));
  /** The tolerance the table and labels colour by: the one typed, while it is valid. */
  const tolerancePct = computed(() => (settingsCheck.value.ok ? settingsCheck.value.settings.tolerancePct : DEFAULT_TOLERANCE_PCT));

  const brushSize = ref(1);
  /** Grids auto-balance aims for; empty: the current number. */
  const balanceGrids = ref<number | null>(null);
  const activeGrid = ref<GridKey | null>(null);
  const balanceRun = shallowRef<BalanceRun | null>(null);
  const progress = ref<BalanceProgress | null>(null);

  function gridLabel(key: GridKey): string {
    if (key.startsWith('new:')) return t('planner.grid.created', { n: key.slice(4) });
    const g = gridInfo.value.get(key);
    return g ? t('planner.grid.numbered', { n: g.number }) : t('planner.grid.keyed', { key });
  }
  const colourOf = (key: GridKey) => GRID_PALETTE[(colours.get(key) ?? 0) % GRID_PALETTE.length];
  const gridNumbers = (a: Assignment) => a.grids.map((k) => (k.startsWith('new:') ? Number(k.slice(4)) : gridInfo.value.get(k)?.number ?? 0));

  const stats = computed(() => {
    void tick.value;
    return editor ? editor.stats() : null;
  });
  /** How many grids the community needs at the target size. */
  const suggestedGrids = computed(() => (stats.value && target.value > 0 ? Math.max(1, Math.round(stats.value.balance.households / target.value)) : null));
  const rows = computed(() => {
    const s = stats.value;
    if (!s) return [];
    return s.grids
      .filter((g) => g.blocks > 0)
      .map((g) => ({ ...g, label: gridLabel(g.key), colour: colourOf(g.key), off: Math.abs(g.deviationPct) > tolerancePct.value }))
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }));
  });
  const loaded = computed(() => (void tick.value, editor !== null));
  const canUndo = computed(() => (void tick.value, editor?.history.canUndo ?? false));
  /** Painted changes not yet applied: a cut would change the blocks under them, so it waits. */
  const hasEdits = computed(() => (void tick.value, editor ? diffBlocks(editor.base, editor.assignment).length > 0 : false));
  const canRedo = computed(() => (void tick.value, editor?.history.canRedo ?? false));

  /** The block under the pointer and where the pointer is (map pixels). */
  const hovered = ref<{ block: number; x: number; y: number } | null>(null);
  function hover(blockId: number | null, point: { x: number; y: number }): void {
    hovered.value = blockId === null ? null : { block: blockId, x: point.x, y: point.y };
  }
  /** The hovered block's tooltip: its grid as painted now, from the blocks already loaded. */
  const hoverTip = computed<BlockTip | null>(() => {
    void tick.value;
    const h = hovered.value;
    const b = h && graph ? graph.indexOf.get(h.block) : undefined;
    const p = h ? blockById.get(h.block) : undefined;
    if (!h || !editor || b === undefined || !p) return null;
    const key = editor.assignment.grids[editor.assignment.blockGrid[b]];
    const was = editor.base.grids[editor.base.blockGrid[b]];
    return {
      x: h.x,
      y: h.y,
      code: p.code,
      grid: gridLabel(key),
      colour: colourOf(key),
      from: key === was ? null : gridLabel(was),
      households: p.households,
      inDifficulty: p.in_difficulty,
      cadres: p.cadres,
    };
  });

  function refresh(changedBlocks: Iterable<number> | 'all'): void {
    const pmap = hooks.map();
    if (!editor || !graph || !pmap) return;
    const a = editor.assignment;
    colours = colourGrids(a, GRID_PALETTE.length, colours);
    const base = editor.base;
    const ids = changedBlocks === 'all' ? graph.ids.map((_, i) => i) : [...changedBlocks];
    pmap.paintBlocks(ids.map((b) => ({
      id: graph!.ids[b],
      color: colourOf(a.grids[a.blockGrid[b]]),
      moved: a.grids[a.blockGrid[b]] !== base.grids[base.blockGrid[b]],
    })));
    const s = editor.stats();
    const byKey = new Map(s.grids.map((g) => [g.key, g]));
    pmap.setLabels([...gridLabelPoints(a, centroids)].map(([key, position]) => {
      const g = byKey.get(key);
      return {
        key,
        position,
        text: t('planner.grid.mapLabel', { grid: gridLabel(key), n: g?.households ?? 0 }),
        off: !!g && Math.abs(g.deviationPct) > tolerancePct.value,
        blocks: g?.blocks ?? 0,
      };
    }));
    tick.value++;
    saveSession(localStorage, community.value!, signature, editor);
  }

  function edit(run: (e: PlanEditor) => { ok: boolean; report: { violations: Violation[] } } | boolean, what: string, refused: number[] = []): void {
    if (!editor) return;
    const before = editor.assignment;
    const r = run(editor);
    const ok = typeof r === 'boolean' ? r : r.ok;
    if (!ok && typeof r !== 'boolean') {
      status.value = { kind: 'refused', text: t('planner.edit.refused', { reasons: reasonsText(r.report.violations) }) };
      hooks.map()?.flashRefused(refused);
      return;
    }
    const changed = diffBlocks(before, editor.assignment);
    if (ok && changed.length) status.value = { kind: 'ok', text: what };
    refresh(changed);
  }

  function stroke(ids: number[]): void {
    if (!editor || !hooks.canEdit.value) return;
    const to = activeGrid.value;
    if (!to) {
      status.value = { kind: 'info', text: t('planner.edit.pickFirst') };
      return;
    }
    edit((e) => e.stroke(ids, to), t('planner.edit.painted', { n: ids.length, grid: gridLabel(to) }, ids.length), ids);
  }

  /** The block's index in the graph, or undefined (not loaded). */
  const indexOf = (blockId: number) => (editor && graph ? graph.indexOf.get(blockId) : undefined);

  /** Makes the grid of block `b` (index) the one painted into. */
  function pickGrid(b: number): void {
    if (editor) activeGrid.value = editor.assignment.grids[editor.assignment.blockGrid[b]];
  }

  function brush(blockId: number): number[] {
    const b = indexOf(blockId);
    if (b === undefined) return [];
    const a = editor!.assignment;
    // A big brush stays inside the grid the stroke starts in, so it never reaches across a third grid.
    return brushBlocks(graph!, b, brushSize.value, a.blockGrid, a.blockGrid[b]).map((i) => graph!.ids[i]);
  }

  const undo = () => edit((e) => e.undo(), t('planner.edit.undone'));
  const redo = () => edit((e) => e.redo(), t('planner.edit.redone'));

  function newGrid(): void {
    if (!editor) return;
    const n = freeGridNumber(gridNumbers(editor.assignment));
    activeGrid.value = `new:${n}`;
    status.value = { kind: 'info', text: t('planner.edit.newGrid', { n }) };
  }

  function removeGrid(key: GridKey): void {
    edit((e) => e.removeGrid(key), t('planner.edit.removed', { grid: gridLabel(key) }));
    if (activeGrid.value === key) activeGrid.value = null;
  }

  function toggleLock(key: GridKey, locked: boolean): void {
    editor?.setLocked(key, locked);
    refresh([]);
  }

  const resetToCurrent = () => edit((e) => e.replace(e.base, 'reset') > 0, t('planner.edit.reset'));

  function onKey(e: KeyboardEvent): void {
    if (!(e.ctrlKey || e.metaKey) || (e.target as HTMLElement)?.tagName === 'INPUT') return;
    if (e.key === 'z' && !e.shiftKey) { e.preventDefault(); undo(); }
    else if (e.key === 'y' || (e.key === 'z' && e.shiftKey) || e.key === 'Z') { e.preventDefault(); redo(); }
  }

  function autoBalance(): void {
    if (!editor || balanceRun.value) return;
    const check = settingsCheck.value;
    if (!check.ok || targetParsed.value.error) {
      const reasons = [targetParsed.value.error, ...(check.ok ? [] : check.errors)].filter(Boolean).join(t('planner.edit.reasonsJoin'));
      status.value = { kind: 'refused', text: t('planner.balance.refused', { reasons }) };
      return;
    }
    const settings = check.settings;
    const aimAt = target.value;
    balancer ??= new BalanceClient();
    progress.value = null;
    const a = editor.assignment;
    // Grids: as many as asked for, else as many as the target needs (the hint's figure).
    const grids = balanceGrids.value && balanceGrids.value > 0 ? Math.round(balanceGrids.value) : suggestedGrids.value ?? undefined;
    const run = balancer.start(a, {
      ...(aimAt > 0 ? { target: aimAt } : {}),
      tolerance: settings.tolerancePct / 100,
      maxSteps: settings.steps,
      ...(grids ? { grids } : {}),
      // New grids are numbered after every number in use (a plan may not reuse one a grid keeps).
      firstNewGridNumber: Math.max(0, ...gridNumbers(a)) + 1,
      gridNames: Object.fromEntries(a.grids.map((key) => [key, gridLabel(key)])),
    }, (p) => (progress.value = p));
    balanceRun.value = run;
    status.value = { kind: 'info', text: t('planner.balance.running') };
    run.result.then((r) => {
      if (!editor) return;
      const reasons = reasonsText(r.reasons);
      if (r.status === 'cancelled') status.value = { kind: 'info', text: t('planner.balance.cancelled') };
      else {
        const moved = r.movedHouseholds;
        edit((e) => e.replace(r.assignment, 'auto-balance') >= 0, '');
        const aim = t('planner.balance.aim', { grids: r.grids, target: Math.round(r.target), tol: settings.tolerancePct });
        const done = t('planner.balance.done', { steps: r.steps, moved, dev: r.after.maxDeviationPct.toFixed(1) });
        if (r.status === 'ok') status.value = { kind: 'ok', text: t('planner.balance.ok', { aim, done }) };
        else if (r.status === 'not_reached')
          status.value = { kind: 'refused', text: t('planner.balance.notReached', { aim, done, advice: balanceAdvice(settings, r.after.maxDeviationPct) }) };
        else status.value = { kind: 'refused', text: reasons ? t('planner.balance.impossibleWhy', { aim, reasons }) : t('planner.balance.impossible', { aim }) };
      }
    }).catch((err) => notices.report(t('planner.balance.context'), err)).finally(() => {
      balanceRun.value = null;
      progress.value = null;
    });
  }

  /** Every block with the grid it is painted into now, as a draft sends them. */
  function planAssignments() {
    const a = editor!.assignment;
    return graph!.ids.map((id, b) => {
      const key = a.grids[a.blockGrid[b]];
      return { block: id, grid: key.startsWith('new:') ? key : Number(key) };
    });
  }

  /** The colours of the grids on screen, to carry over a reload whose grid keys change. */
  function colourSnapshot(): ColourSnapshot | undefined {
    return editor ? { assignment: editor.assignment, colours: new Map(colours) } : undefined;
  }

  /** (Re)loads the community's blocks; `keepView` leaves the camera where it is (after a cut). */
  async function load(keepView = false, keep?: ColourSnapshot): Promise<void> {
    const id = community.value;
    const pmap = hooks.map();
    if (id === null || !pmap) return;
    loading.value = true;
    loadError.value = '';
    hooks.onReload();
    pmap.setErrors([]);
    try {
      const [fc, grids] = await Promise.all([fetchBlocks(id), fetchGrids({ community: id }), hooks.alongside()]);
      if (community.value !== id) return;
      gridInfo.value = new Map(grids.features.map((f) => [String(f.properties.id), f.properties]));
      blockFc = fc;
      blockById = new Map(fc.features.map((f) => [f.id, f.properties]));
      hovered.value = null;
      graph = buildBlockGraph(fc as never);
      centroids = graph.ids.map((bid) => {
        const f = fc.features.find((x) => x.id === bid)!;
        const geom = f.geometry as { type: string; coordinates: number[][][] | number[][][][] };
        return ringCentroid((geom.type === 'Polygon' ? geom.coordinates[0] : geom.coordinates[0][0]) as number[][]);
      });
      const unassigned = fc.features.filter((f) => f.properties.grid_id === null).length;
      if (unassigned) throw new PeopleError(t('planner.edit.unassigned', { n: unassigned }));
      const start = createAssignment(graph, Object.fromEntries(fc.features.map((f) => [f.properties.id, String(f.properties.grid_id)])));
      signature = baseSignature(fc.features.map((f) => f.properties));
      ownMean.value = communityMean(graph.households.reduce((n, h) => n + h, 0), new Set(fc.features.map((f) => f.properties.grid_id)).size);
      targetInput.value = loadTarget(localStorage, id);
      const options = { target: target.value || undefined, label: gridLabel };
      editor = loadSession(localStorage, id, signature, graph, options) ?? new PlanEditor(start, options);
      // Grid colours stay with their grid across an apply or revert (matched by blocks).
      colours = keep ? carryColours(keep.assignment, keep.colours, editor.assignment) : new Map();
      activeGrid.value = null;
      pmap.setBlocks(fc as never);
      hooks.onBlocks(fc);
      // The whole community in view: the blocks' outer rings (their centroids left the edge blocks cut off).
      if (!keepView) pmap.fit(blocksBounds(fc.features), hooks.legendPx());
      refresh('all');
      status.value = editor.history.canUndo ? { kind: 'info', text: t('planner.edit.restored') } : null;
      markPlannerLoaded(pmap.map, id, graph.n);
    } catch (err) {
      loadError.value = peopleMessage(err);
      notices.report(t('planner.edit.loadContext'), err);
    } finally {
      loading.value = false;
    }
  }

  // The target changes the deviation figures: the editor is rebuilt on the same state and history.
  watch(target, () => {
    if (!editor) return;
    editor = new PlanEditor(editor.base, { target: target.value || undefined, label: gridLabel }, editor.assignment, editor.history);
    refresh([]);
  });

  /** Stops auto-balance and its worker and drops the session (the page is leaving). */
  function dispose(): void {
    balanceRun.value?.cancel();
    balancer?.dispose();
    editor = null;
  }

  return {
    // state the page shows
    tick, loading, loadError, status, busy, gridInfo, ownMean, targetInput, targetParsed, target, stepsInput, toleranceInput,
    settingsCheck, tolerancePct, brushSize, balanceGrids, activeGrid, balanceRun, progress, stats, suggestedGrids, rows,
    loaded, canUndo, canRedo, hasEdits, hoverTip,
    // what the tools and the plans panel read
    get editor() { return editor; },
    get graph() { return graph; },
    get blocks() { return blockFc; },
    indexOf,
    // actions
    setTarget, onTargetChange, gridLabel, colourOf, hover, refresh, stroke, pickGrid, brush, undo, redo, newGrid, removeGrid,
    toggleLock, resetToCurrent, onKey, autoBalance, planAssignments, colourSnapshot, load, dispose,
  };
}

export type Editor = ReturnType<typeof useEditor>;
