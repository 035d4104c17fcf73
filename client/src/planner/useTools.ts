// The planner map's four tools as a composable: paint (strokes go to the editor), pan, cut (a
// drawn line cuts blocks, planner only) and edge redraw (pick two neighbouring blocks, draw their
// new shared edge, planner only), one active at a time through the ToolManager (planner/tools.ts).
// Cut and edge share the one terra-draw line tool (planner/CutTool.ts); the server does the
// cutting, after which the blocks are reloaded. Both wait while painted changes are unapplied,
// since they change the blocks those changes are painted on.
import { ref, watch, type Ref } from 'vue';
import { redrawEdge, revertEdge, splitBlocks } from '../api/plans';
import { localMessage, t } from '../i18n';
import { useNoticeStore } from '../stores/notices';
import { CutTool } from './CutTool';
import type { PlannerMap } from './PlannerMap';
import { clearSession } from './session';
import { errorGeometries, refusal } from './plans';
import { ToolManager, pickEdge, type Tool, type ToolName } from './tools';
import type { Editor } from './useEditor';

/** The two line-drawing tools' buttons (planner only); their texts are planner.tools.<name>.*. */
export const DRAW_TOOLS = ['cut', 'edge'] as const;

export function useTools(ed: Editor, community: Ref<number | null>, map: () => PlannerMap | null) {
  const notices = useNoticeStore();
  const { status, busy } = ed;
  let cutter: CutTool | null = null;
  /** The active tool, for the buttons. */
  const tool = ref<ToolName>('paint');
  /** The edge tool: the blocks (ids) picked so far. */
  const edgeBlocks = ref<number[]>([]);
  /**
   * This session's edge redraws that may still be undone (撤销重画), latest last. A cut ends the
   * list; a plan applied or reverted since makes the server refuse (409), which also ends it.
   */
  const redraws = ref<number[]>([]);

  const tools: Record<ToolName, Tool> = {
    paint: { activate: () => map()?.setPaintMode(true), deactivate() {} },
    pan: { activate: () => map()?.setPaintMode(false), deactivate() {} },
    cut: {
      activate() {
        map()?.setPaintMode(false);
        cutter?.start();
        status.value = { kind: 'info', text: t('planner.tools.cutInfo') };
      },
      deactivate: () => cutter?.stop(),
      line: (coordinates) => void cut(coordinates),
    },
    edge: {
      activate() {
        edgeBlocks.value = [];
        map()?.setPaintMode(false);
        map()?.outline([]);
        status.value = { kind: 'info', text: t('planner.tools.edgeInfo') };
      },
      deactivate() {
        edgeBlocks.value = [];
        cutter?.stop();
      },
      pick: (b) => (pickEdgeBlock(b), true),
      line: (coordinates) => void redraw(coordinates),
    },
  };
  const manager = new ToolManager<ToolName>(tools, 'paint', (name) => (tool.value = name));
  const use = (name: ToolName) => manager.use(name);

  /** A click (or right-click) on a block: the edge tool takes it, else its grid becomes the one painted. */
  function pick(blockId: number): void {
    const b = ed.indexOf(blockId);
    if (b !== undefined && !manager.pick(b)) ed.pickGrid(b);
  }

  /** The edge tool: a click picks a block; two neighbours picked, the new edge is drawn. */
  function pickEdgeBlock(b: number): void {
    const graph = ed.graph!;
    const r = pickEdge(graph, edgeBlocks.value, graph.ids[b], b);
    if (!r.ok) {
      if (r.why === 'apart') status.value = { kind: 'refused', text: t('planner.tools.apart') };
      return;
    }
    edgeBlocks.value = r.picked;
    map()?.outline(edgeBlocks.value);
    if (edgeBlocks.value.length === 2) {
      cutter?.start();
      status.value = { kind: 'info', text: t('planner.tools.drawEdge') };
    } else {
      status.value = { kind: 'info', text: t('planner.tools.pickAnother') };
    }
  }

  /**
   * Sends a drawn line to the server (`send` answers what was done); done, the blocks are reloaded
   * in place (a cut stays in the cut tool, for the next line; an edge redraw goes back to paint).
   * A refused line (400, or 409: the blocks changed meanwhile, reloaded) is said and marked.
   */
  async function sendLine(
    report: string,
    refused: string,
    send: (community: number, layout: number) => Promise<string>,
    then: { done?: () => void; again?: () => void } = {},
  ): Promise<void> {
    if (community.value === null || !ed.blocks) return;
    busy.value = true;
    map()?.setErrors([]);
    try {
      const done = await send(community.value, ed.blocks.layout_version);
      clearSession(localStorage, community.value);
      then.done?.();
      await ed.load(true);
      status.value = { kind: 'ok', text: done };
    } catch (err) {
      const r = refusal(err, [400, 409]);
      if (r) {
        status.value = { kind: 'refused', text: t('planner.tools.refusedWith', { what: refused, why: localMessage(r.message ?? '') }) };
        map()?.setErrors(errorGeometries(r.errors));
        if (r.status === 409) await ed.load();
        else then.again?.();
      } else notices.report(report, err);
    } finally {
      busy.value = false;
    }
  }

  /** The cut tool's line: the blocks it crosses are cut in two. */
  const cut = (coordinates: [number, number][]) => sendLine(t('planner.tools.cutContext'), t('planner.tools.notCut'), async (id, layout) => {
    const r = await splitBlocks({ community: id, layout_version: layout, line: { type: 'LineString', coordinates } });
    const parts = r.blocks.reduce((n, b) => n + b.parts.length, 0);
    redraws.value = [];
    return t('planner.tools.cutDone', { n: r.blocks.length, parts }, r.blocks.length);
  });

  /** The edge tool's line: the two picked blocks' shared edge, confirmed first with who moves. */
  async function redraw(coordinates: [number, number][]): Promise<void> {
    const { graph, editor } = ed;
    if (!graph || !editor || edgeBlocks.value.length !== 2) return;
    const a0 = editor.assignment;
    const [a, b] = edgeBlocks.value;
    const [ia, ib] = [a, b].map((bid) => graph.indexOf.get(bid)!);
    const [ga, gb] = [a0.grids[a0.blockGrid[ia]], a0.grids[a0.blockGrid[ib]]];
    const across = ga !== gb
      ? t('planner.tools.acrossOther', { a: ed.gridLabel(ga), b: ed.gridLabel(gb) })
      : t('planner.tools.acrossSame', { a: ed.gridLabel(ga) });
    if (!window.confirm(t('planner.tools.redrawQuestion', { a: graph.households[ia], b: graph.households[ib], across }))) {
      cutter?.start();
      return;
    }
    await sendLine(t('planner.tools.redrawContext'), t('planner.tools.notRedrawn'), async (id, layout) => {
      const r = await redrawEdge({ community: id, layout_version: layout, blocks: [a, b], line: { type: 'LineString', coordinates } });
      redraws.value = [...redraws.value, r.redraw];
      const grids = r.households_changed_grid ? t('planner.tools.redrawGrids', { n: r.households_changed_grid }) : '';
      return t('planner.tools.redrawDone', { n: r.households_moved, grids });
    }, { done: () => manager.use('paint'), again: () => cutter?.start() });
  }

  /** Undoes the latest edge redraw: the two blocks, grids and everyone moved go back exactly. */
  async function undoRedraw(): Promise<void> {
    const id = redraws.value.at(-1);
    if (id === undefined || busy.value) return;
    if (!window.confirm(t('planner.tools.undoRedrawQuestion'))) return;
    busy.value = true;
    try {
      const r = await revertEdge(id);
      redraws.value = redraws.value.slice(0, -1);
      if (community.value !== null) clearSession(localStorage, community.value);
      await ed.load(true);
      status.value = { kind: 'ok', text: t('planner.tools.undoRedrawDone', { n: r.households_moved }) };
    } catch (err) {
      const r = refusal(err, [409]);
      if (r) {
        redraws.value = [];
        status.value = { kind: 'refused', text: t('planner.tools.notUndone', { why: localMessage(r.message ?? '') }) };
        await ed.load(true);
      } else notices.report(t('planner.tools.undoRedrawContext'), err);
    } finally {
      busy.value = false;
    }
  }

  // Painted changes (an undo, auto-balance) end a cut or an edge redraw: the map pans.
  watch(ed.hasEdits, (e) => { if (e && (tool.value === 'cut' || tool.value === 'edge')) manager.use('pan'); });

  /** The map is ready: the tool held now becomes active (read-only roles only pan). */
  function start(pmap: PlannerMap, canEdit: boolean, canApply: boolean): void {
    if (!canEdit) manager.use('pan');
    if (canApply) cutter = new CutTool(pmap.map, (line) => manager.line(line));
    manager.start();
  }

  function setBlocks(fc: Parameters<CutTool['setBlocks']>[0]): void {
    cutter?.setBlocks(fc);
  }

  function stop(): void {
    manager.stop();
    cutter?.stop();
    cutter = null;
  }

  return { tool, use, pick, start, setBlocks, stop, redraws, undoRedraw };
}

export type Tools = ReturnType<typeof useTools>;
