// The case layer of the city and community maps: the open cases in the user's scope as dots
// (switched on in the layer switches), kept current by the live stream while it is on.
import { OPEN_STATUSES } from '@grid-atlas/contract';
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import { t } from '../i18n';
import { fetchCases } from '../api/cases';
import { toCasePoints, type CasePoint } from '../layers/cases';
import { onCaseChanges } from '../live/cases';
import { useNoticeStore } from './notices';

export const useCaseLayerStore = defineStore('caseLayer', () => {
  const notices = useNoticeStore();
  const show = ref(false);
  const points = shallowRef<CasePoint[] | null>(null);
  const total = ref(0);
  const overdue = ref(0);
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  let stopLive: (() => void) | null = null;

  async function load(): Promise<void> {
    if (!points.value) state.value = 'loading';
    try {
      // The newest 200 open cases: a map layer, not a register (the inbox pages through all).
      const page = await fetchCases({ status: OPEN_STATUSES, limit: 200 });
      points.value = markRaw(toCasePoints(page.cases));
      total.value = Number(page.total);
      overdue.value = page.cases.filter((c) => c.overdue).length;
      state.value = 'ready';
      notices.clear(t('map.notice.caseLayer'));
    } catch (err) {
      state.value = 'error';
      notices.report(t('map.notice.caseLayer'), err, { retry: () => void load() });
    }
  }

  function setShow(on: boolean): void {
    show.value = on;
    if (on) {
      void load();
      stopLive ??= onCaseChanges(() => void load(), 500);
    } else {
      stopLive?.();
      stopLive = null;
    }
  }

  return { show, points, total, overdue, state, load, setShow };
});
