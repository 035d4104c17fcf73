// The place of a picked point in words ("解放路社区 第7网格 · 解放路7号附近"), refetched as the
// point moves; the newest point wins (an older answer arriving late is dropped). A point outside
// every grid reads as the server's reason, in words.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { fetchPlaceAt } from '../api/places';
import { ApiError } from '../api/http';
import { t } from '../i18n';

export function usePlaceLabel(point: Ref<[number, number] | null>, audience: 'staff' | 'public') {
  const label = ref<string | null>(null);
  const outside = ref(false);
  let ctl: AbortController | null = null;
  watch(point, async (p) => {
    ctl?.abort();
    label.value = null;
    outside.value = false;
    if (!p) return;
    const mine = (ctl = new AbortController());
    try {
      const place = await fetchPlaceAt(p, audience, mine.signal);
      if (ctl === mine) {
        // The server's label in words of the page's language: community, grid, nearest building.
        const grid = t('cases.place.grid', { community: place.community_name, n: place.grid_number });
        label.value = place.near ? t('cases.place.near', { place: grid, near: place.near }) : grid;
      }
    } catch (err) {
      if (ctl !== mine || mine.signal.aborted) return;
      outside.value = err instanceof ApiError && err.status === 404;
      label.value = outside.value ? t('cases.place.outside') : t('cases.place.unknown');
    }
  }, { immediate: true });
  onBeforeUnmount(() => ctl?.abort());
  return { label, outside };
}
