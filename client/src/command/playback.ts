// Playback of the cases filed in the last 24 hours or 7 days: the cases are fetched once (newest
// first, page by page until the window's start, at most MAX_PAGES pages), then a time cursor
// moves over the window and the map shows the cases filed up to it. Each case keeps the status it
// has now (the list has no past states); the cursor decides only whether it is on the map yet.
import { markRaw, onBeforeUnmount, ref, shallowRef, computed } from 'vue';
import { fetchCases, type CaseRow } from '../api/cases';

/** The windows a replay covers (their buttons' texts: command.ticker.replay.<window>). */
export const PLAYBACK_WINDOWS = { day: { ms: 86_400_000 }, week: { ms: 7 * 86_400_000 } } as const;
export type PlaybackWindow = keyof typeof PLAYBACK_WINDOWS;
const PAGE = 200;
const MAX_PAGES = 25;
/** One full play of the window takes this long. */
const PLAY_MS = 20_000;

/** The cases of `rows` filed in [from, at]. Pure; tested. */
export function casesUpTo(rows: readonly CaseRow[], from: number, at: number): CaseRow[] {
  return rows.filter((r) => {
    const t = Date.parse(r.created_at);
    return t >= from && t <= at;
  });
}

export function usePlayback(onError: (err: unknown) => void) {
  const active = ref(false);
  const window = ref<PlaybackWindow>('day');
  const rows = shallowRef<CaseRow[]>([]);
  const from = ref(0);
  const to = ref(0);
  /** The cursor, ms since the epoch. */
  const at = ref(0);
  const playing = ref(false);
  const loading = ref(false);
  /** The window held more cases than MAX_PAGES pages: the oldest are left out. */
  const truncated = ref(false);
  let frame = 0;
  let last = 0;

  const visible = computed(() => markRaw(casesUpTo(rows.value, from.value, at.value)));

  async function load(w: PlaybackWindow): Promise<void> {
    loading.value = true;
    const end = Date.now();
    const start = end - PLAYBACK_WINDOWS[w].ms;
    const out: CaseRow[] = [];
    truncated.value = false;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await fetchCases({ limit: PAGE, offset: page * PAGE });
        out.push(...res.cases);
        const oldest = res.cases.at(-1);
        if (res.cases.length < PAGE || !oldest || Date.parse(oldest.created_at) < start) break;
        if (page === MAX_PAGES - 1) truncated.value = true;
      }
    } catch (err) {
      onError(err);
    } finally {
      loading.value = false;
    }
    rows.value = markRaw(out);
    from.value = start;
    to.value = end;
    at.value = start;
  }

  function tick(now: number): void {
    const dt = now - last;
    last = now;
    const span = to.value - from.value;
    at.value = Math.min(to.value, at.value + (span * dt) / PLAY_MS);
    if (at.value >= to.value) {
      playing.value = false;
      return;
    }
    frame = requestAnimationFrame(tick);
  }
  function play(): void {
    if (at.value >= to.value) at.value = from.value;
    playing.value = true;
    last = performance.now();
    frame = requestAnimationFrame(tick);
  }
  function pause(): void {
    playing.value = false;
    cancelAnimationFrame(frame);
  }
  async function start(w: PlaybackWindow): Promise<void> {
    pause();
    window.value = w;
    active.value = true;
    await load(w);
  }
  function stop(): void {
    pause();
    active.value = false;
  }
  onBeforeUnmount(() => cancelAnimationFrame(frame));

  return { active, window, rows, from, to, at, playing, loading, truncated, visible, start, stop, play, pause };
}
