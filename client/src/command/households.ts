// The command centre's household dots: all households as points (binary attributes), fetched on
// the first request: 95,402 points at every zoom, those in difficulty larger and red on top.
import { markRaw, ref, shallowRef, watch } from 'vue';
import type { Households } from '@grid-atlas/contract';
import { fetchHouseholds } from '../api/households';
import { useNoticeStore } from '../stores/notices';
import { t } from '../i18n';

export function useHouseholdDots() {
  const notices = useNoticeStore();
  const show = ref(false);
  const households = shallowRef<Households | null>(null);
  watch(show, async (on) => {
    if (!on || households.value) return;
    try {
      households.value = markRaw(await fetchHouseholds());
    } catch (err) {
      notices.report(t('command.failed.households'), err);
    }
  });
  return { show, households };
}

export type HouseholdDots = ReturnType<typeof useHouseholdDots>;
