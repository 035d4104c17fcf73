// The command centre's stage: the fixed 1920×1080 design picture scaled to the screen. What the
// page needs of it in script: its scale for the map's padding, and the full-screen state.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import type { PaddingOptions } from 'maplibre-gl';

/** Stage px per design px (1 at 1920×1080, 2 at 3840×2160). */
export function stageScale(stage: HTMLElement | null): number {
  return stage ? stage.clientWidth / 1920 : 1;
}

/** The map's padding: the stage area the header and side panels cover (design px × scale). */
export function panelPadding(scale: number): PaddingOptions {
  return { top: 100 * scale, left: 440 * scale, right: 440 * scale, bottom: 250 * scale };
}

/** The page's full-screen state, and the header button's toggle. */
export function useFullscreen(): { fullscreen: Ref<boolean>; toggle: () => void } {
  const fullscreen = ref(false);
  const onChange = () => (fullscreen.value = !!document.fullscreenElement);
  onMounted(() => document.addEventListener('fullscreenchange', onChange));
  onBeforeUnmount(() => document.removeEventListener('fullscreenchange', onChange));
  function toggle(): void {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }
  return { fullscreen, toggle };
}
