// Optional map layers the user can switch on, and the data they need.
// The household arrays (95k entries) live in a shallowRef and are markRaw'd: never reactive.
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import { t } from '../i18n';
import type { Households } from '@grid-atlas/contract';
import { fetchHouseholds } from '../api/households';
import { useNoticeStore } from './notices';

export const useLayerStore = defineStore('layers', () => {
  const notices = useNoticeStore();

  const showHouseholds = ref(false);
  const showLabels = ref(true);
  const households = shallowRef<Households | null>(null);
  const householdsState = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  /** The zoom from which household points are drawn (set by the map once it knows grid sizes). */
  const householdsMinZoom = ref(14);
  /** Current map zoom, mirrored for UI hints (updated on zoomend only, so cheap). */
  const zoom = ref(0);

  async function loadHouseholds(): Promise<void> {
    if (householdsState.value === 'loading' || householdsState.value === 'ready') return;
    householdsState.value = 'loading';
    try {
      households.value = markRaw(await fetchHouseholds());
      householdsState.value = 'ready';
      notices.clear(t('map.notice.households'));
    } catch (err) {
      householdsState.value = 'error';
      notices.report(t('map.notice.households'), err, { retry: () => void loadHouseholds() });
    }
  }

  function setShowHouseholds(on: boolean): void {
    showHouseholds.value = on;
    // Fetched lazily: most sessions never need 1.3 MB of points.
    if (on) void loadHouseholds();
  }

  return { showHouseholds, showLabels, households, householdsState, householdsMinZoom, zoom, setShowHouseholds, loadHouseholds };
});
