// The administrative dataset: totals, subdistricts, communities, grids and the city outline.
//
// GeoJSON collections are held in shallowRef + markRaw: Vue must not deep-proxy thousands of
// coordinates (slow, and MapLibre/turf would then receive proxies). Replace the whole value to update.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import { t } from '../i18n';
import { fetchCityOutline, fetchCommunities, fetchGrids, fetchHealth, fetchSubdistricts } from '../api/geo';
import type {
  CityOutline,
  CommunityCollection,
  GridCollection,
  GridProps,
  Health,
  SubdistrictCollection,
  SubdistrictProps,
} from '@grid-atlas/contract';
import { quantileBreaks } from '../map/classify';
import { HOUSEHOLD_RAMP } from '../map/theme';
import { useNoticeStore } from './notices';

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export const useAtlasStore = defineStore('atlas', () => {
  const notices = useNoticeStore();

  const health = ref<Health | null>(null);
  const subdistricts = shallowRef<SubdistrictCollection | null>(null);
  const communities = shallowRef<CommunityCollection | null>(null);
  const grids = shallowRef<GridCollection | null>(null);
  const cityOutline = shallowRef<CityOutline | null>(null);
  const state = ref<LoadState>('idle');

  const gridById = computed(() => {
    const m = new Map<number, GridProps>();
    for (const f of grids.value?.features ?? []) m.set(f.properties.id, f.properties);
    return m;
  });

  /** Subdistricts in code order, for the side panel. */
  const subdistrictList = computed<SubdistrictProps[]>(() =>
    (subdistricts.value?.features ?? []).map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code)),
  );

  const gridCount = computed(() => grids.value?.features.length ?? 0);

  /** Class thresholds of the households-per-grid choropleth; the map and the legend share them. */
  const householdBreaks = computed(() =>
    quantileBreaks((grids.value?.features ?? []).map((f) => f.properties.households), HOUSEHOLD_RAMP.length),
  );

  /**
   * Runs one loader and reports its failure under `context`; a retry re-runs just that loader,
   * so one broken endpoint does not force reloading everything else.
   */
  async function guarded<T>(context: string, load: () => Promise<T>, apply: (v: T) => void): Promise<boolean> {
    try {
      apply(await load());
      notices.clear(context);
      return true;
    } catch (err) {
      notices.report(context, err, { retry: () => void guarded(context, load, apply) });
      return false;
    }
  }

  async function loadAll(): Promise<void> {
    state.value = 'loading';
    const results = await Promise.all([
      guarded(t('map.notice.totals'), fetchHealth, (v) => (health.value = v)),
      guarded(t('map.notice.subdistricts'), fetchSubdistricts, (v) => (subdistricts.value = markRaw(v))),
      guarded(t('map.notice.communities'), () => fetchCommunities(), (v) => (communities.value = markRaw(v))),
      guarded(t('map.notice.grids'), () => fetchGrids(), (v) => (grids.value = markRaw(v))),
      guarded(t('map.notice.cityOutline'), fetchCityOutline, (v) => (cityOutline.value = markRaw(v))),
    ]);
    state.value = results.every(Boolean) ? 'ready' : 'error';
  }

  return { health, subdistricts, communities, grids, cityOutline, state, gridById, subdistrictList, gridCount, householdBreaks, loadAll };
});
