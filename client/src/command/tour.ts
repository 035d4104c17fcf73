// The auto-tour for an unattended screen: it steps through the areas every TOUR_MS until any touch
// of the screen (pointer, wheel, key) stops it. What a step shows is the caller's (the city tours
// its subdistricts, a subdistrict's centre its communities).
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export const TOUR_MS = 8000;

/** The id after `current` in `ids`; the first when `current` is not among them; null past the last. */
export function nextInTurn(ids: readonly number[], current: number | null): number | null {
  const i = current === null ? -1 : ids.indexOf(current);
  return i + 1 < ids.length ? ids[i + 1] : null;
}

/** `stage`: the element whose touches stop the tour (except on the toggle itself). */
export function useTour(stage: Ref<HTMLElement | null>, step: () => void) {
  const touring = ref(false);
  let timer: ReturnType<typeof setInterval> | undefined;
  function start(): void {
    touring.value = true;
    step();
    timer = setInterval(step, TOUR_MS);
  }
  function stop(): void {
    touring.value = false;
    clearInterval(timer);
  }
  const onTouch = (e: Event) => {
    if (touring.value && !(e.target as HTMLElement | null)?.closest?.('[data-testid=tour-toggle]')) stop();
  };
  onMounted(() => {
    for (const t of ['pointerdown', 'wheel', 'keydown']) stage.value?.addEventListener(t, onTouch, { capture: true });
  });
  onBeforeUnmount(() => clearInterval(timer));
  return { touring, start, stop };
}
