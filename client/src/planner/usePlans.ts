// The planner's plans panel as a composable: the community's plans, saving the painted grids as
// a draft, the server's validation (its problems marked on the map), apply and revert (each
// confirmed first with what will move, then the blocks reloaded with their colours kept), and
// applying the newest drafts of several communities together, all or none. Kept apart from the
// editing session, which it only reads (the grids painted) and reloads.
import { ref, type Ref } from 'vue';
import type { Geometry } from 'geojson';
import type { PlanError, PlanSummary } from '@grid-atlas/contract';
import { applyPlan, applyPlans, createPlan, getPlan, listPlans, previewRevert, revertPlan, validatePlan } from '../api/plans';
import { localMessage, t } from '../i18n';
import { useNoticeStore } from '../stores/notices';
import type { PlannerMap } from './PlannerMap';
import { clearSession } from './session';
import { applyQuestion, errorGeometries, newestDrafts, refusal, revertQuestion } from './plans';
import type { Editor } from './useEditor';

export function usePlans(ed: Editor, community: Ref<number | null>, communityName: Ref<string>, map: () => PlannerMap | null) {
  const notices = useNoticeStore();
  const { status, busy } = ed;
  const plans = ref<PlanSummary[]>([]);
  const planErrors = ref<PlanError[]>([]);
  /** Several communities at once: the newest current draft of each, and those ticked. */
  const cityDrafts = ref<PlanSummary[]>([]);
  const together = ref<number[]>([]);

  async function loadPlans(): Promise<void> {
    if (community.value === null) return;
    plans.value = await listPlans(community.value);
  }

  /** Runs a request with the panel's buttons held; a failure not handled by `refused` is reported as `what`. */
  async function request<T>(what: string, run: () => Promise<T>, refused?: (err: unknown) => Promise<boolean> | boolean): Promise<T | undefined> {
    busy.value = true;
    try {
      return await run();
    } catch (err) {
      if (!(await refused?.(err))) notices.report(what, err);
    } finally {
      busy.value = false;
    }
  }

  const saveDraft = () => request(t('planner.plans.saveContext'), async () => {
    if (!ed.editor || community.value === null) return;
    const s = ed.editor.stats().balance;
    const title = t('planner.plans.draftTitle', { community: communityName.value, grids: s.grids, dev: s.maxDeviationPct.toFixed(1) });
    const plan = await createPlan({ community: community.value, title, assignments: ed.planAssignments() });
    status.value = { kind: 'ok', text: t('planner.plans.saved', { id: plan.id }) };
    await loadPlans();
  });

  const validate = (plan: PlanSummary) => request(t('planner.plans.validateContext'), async () => {
    const r = await validatePlan(plan.id);
    planErrors.value = r.errors;
    map()?.setErrors(errorGeometries(r.errors));
    status.value = r.ok
      ? { kind: 'ok', text: t('planner.plans.valid', { id: plan.id }) }
      : { kind: 'refused', text: t('planner.plans.invalid', { id: plan.id, n: r.errors.length }) };
  });

  /** After an apply or revert: the session painted on the old grids is dropped, the blocks reloaded. */
  async function reload(keep: ReturnType<Editor['colourSnapshot']>): Promise<void> {
    if (community.value !== null) clearSession(localStorage, community.value);
    // after the reload, which clears the status line, the caller says what happened
    await ed.load(false, keep);
  }

  const apply = (plan: PlanSummary) => request(t('planner.plans.applyContext'), async () => {
    // Say what will move before it does.
    if (!window.confirm(applyQuestion(plan, await getPlan(plan.id)))) return;
    const keep = ed.colourSnapshot();
    const r = await applyPlan(plan.id);
    await reload(keep);
    status.value = { kind: 'ok', text: t('planner.plans.applied', { id: plan.id, n: r.households_moved }) };
  }, async (err) => {
    const r = refusal(err, [409, 422]);
    if (r?.status === 409) status.value = { kind: 'refused', text: t('planner.plans.stale') };
    else if (r) status.value = { kind: 'refused', text: t('planner.plans.failedValidation', { why: localMessage(r.message ?? '') }) };
    await loadPlans();
    return r !== null;
  });

  async function loadCityDrafts(): Promise<void> {
    cityDrafts.value = newestDrafts(await listPlans());
    together.value = cityDrafts.value.map((p) => p.id);
  }

  const applyTogether = () => request(t('planner.plans.togetherContext'), async () => {
    const r = await applyPlans(together.value);
    const moved = r.applied.reduce((n, a) => n + a.households_moved, 0);
    for (const p of cityDrafts.value) if (together.value.includes(p.id)) clearSession(localStorage, p.community_id);
    await ed.load();
    await loadCityDrafts();
    status.value = { kind: 'ok', text: t('planner.plans.togetherDone', { n: r.applied.length, moved }) };
  }, async (err) => {
    const r = refusal(err, [409, 422]);
    if (r) {
      status.value = { kind: 'refused', text: t('planner.plans.togetherRefused', { why: localMessage(r.message ?? '') }) };
      planErrors.value = r.errors;
    }
    await loadCityDrafts();
    return r !== null;
  });

  /** A revert that a later apply blocks: said in the status line, not reported as a failure. */
  function blocked(err: unknown): boolean {
    const r = refusal(err, [409]);
    if (r) status.value = { kind: 'refused', text: t('planner.plans.cannotRevert', { why: r.message ? localMessage(r.message) : t('planner.plans.laterApplied') }) };
    return r !== null;
  }

  async function revert(plan: PlanSummary): Promise<void> {
    const preview = await request(t('planner.plans.revertContext'), () => previewRevert(plan.id), blocked);
    if (!preview || !window.confirm(revertQuestion(plan, preview))) return;
    await request(t('planner.plans.revertContext'), async () => {
      const keep = ed.colourSnapshot();
      const r = await revertPlan(plan.id);
      await reload(keep);
      status.value = { kind: 'ok', text: t('planner.plans.reverted', { id: plan.id, n: r.households_moved }) };
    }, blocked);
  }

  /** A plan file saved as a draft (components/planner/PlanImport.vue): the list shows it. */
  async function imported(id: number): Promise<void> {
    status.value = { kind: 'ok', text: t('planner.plans.imported', { id }) };
    await loadPlans();
  }

  /** The import's problem features, marked on the map. */
  const showProblems = (geometries: Geometry[]) => map()?.setErrors(geometries);

  return { plans, planErrors, cityDrafts, together, loadPlans, saveDraft, validate, apply, loadCityDrafts, applyTogether, revert, imported, showProblems };
}

export type Plans = ReturnType<typeof usePlans>;
