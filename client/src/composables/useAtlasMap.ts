// The map lifecycle the map views share: resolve the style (reporting a missing basemap),
// create the AtlasMap controller on mount, lay the synthetic streets and river under it, wire it
// once it is ready, and on unmount stop every watcher and destroy the map. The controller stays in a plain variable, never reactive state.
import { onBeforeUnmount, onMounted, type Ref, type WatchStopHandle } from 'vue';
import { AtlasMap, type AtlasMapOptions } from '../map/AtlasMap';
import { uiScale } from '../map/scale';
import { loadGround } from '../map/ground';
import { resolveStyle } from '../map/style';
import { useNoticeStore } from '../stores/notices';
import { t } from '../i18n';

export interface AtlasMapHandle {
  /** The controller once created; null before mount and after unmount. */
  readonly map: AtlasMap | null;
}

/**
 * `wire` runs once the map is ready and returns the watchers it set up; it may await other
 * loads first (the view is checked for unmount again after it resolves).
 */
export function useAtlasMap(
  el: Ref<HTMLElement | null>,
  options: Omit<AtlasMapOptions, 'container' | 'style' | 'scale'>,
  wire: (m: AtlasMap) => WatchStopHandle[] | Promise<WatchStopHandle[]>,
): AtlasMapHandle {
  const notices = useNoticeStore();
  let map: AtlasMap | null = null;
  let disposed = false;
  const stops: WatchStopHandle[] = [];

  onMounted(async () => {
    const ground = loadGround((err) => notices.report(t('map.notice.ground'), err, { level: 'warning' }));
    const style = await resolveStyle();
    if (style.error) notices.report(t('map.notice.basemapUnavailable'), style.error, { level: 'warning' });
    if (disposed || !el.value) return;
    const m = new AtlasMap({ container: el.value, style, scale: uiScale(), ...options });
    map = m;
    await m.ready;
    // The ground first (it is small and static), so the boundaries land on streets and the river.
    const streets = await ground;
    if (disposed) return;
    if (streets) m.setStreets(streets);
    const wired = await wire(m);
    if (disposed) wired.forEach((stop) => stop());
    else stops.push(...wired);
  });

  onBeforeUnmount(() => {
    disposed = true;
    stops.forEach((stop) => stop());
    map?.destroy();
    map = null;
  });

  return {
    get map() {
      return map;
    },
  };
}
