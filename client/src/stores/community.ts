// One community's working data for the community view: its grids, household points, roster,
// 双定三联 links and a server-paginated household list with search and filters.
//
// Everything the server returns is already limited to the user's area; this store only chooses
// which community (a subdistrict admin has several) and asks for pages. Geometry and the
// household columns are markRaw'd in shallowRefs: never deep-reactive.
import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef } from 'vue';
import { fetchCommunities, fetchGrids } from '../api/geo';
import {
  fetchHouseholdRecords,
  fetchLinks,
  fetchRoster,
  type CadreLinkLine,
  type HouseholdPage,
  type HouseholdRecord,
  type RosterGrid,
} from '../api/community';
import { selectHouseholds, type Households } from '@grid-atlas/contract';
import { fetchHouseholds } from '../api/households';
import type { CommunityCollection, CommunityProps, GridCollection } from '@grid-atlas/contract';
import { useNoticeStore } from './notices';
import { t } from '../i18n';

export const PAGE_SIZE = 50;

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface ListFilters {
  q: string;
  grid: number | null;
  difficulty: boolean;
  unlinked: boolean;
}

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';

export const useCommunityStore = defineStore('community', () => {
  const notices = useNoticeStore();

  /** Communities the user may open (a subdistrict admin's picker); the secretary's one. */
  const communities = shallowRef<CommunityCollection | null>(null);
  const communityId = ref<number | null>(null);
  const grids = shallowRef<GridCollection | null>(null);
  /** Every household point the server lets this user see, fetched once per page load. */
  let allHouseholds: Households | null = null;
  const households = shallowRef<Households | null>(null);
  const roster = shallowRef<RosterGrid[] | null>(null);
  const links = shallowRef<CadreLinkLine[] | null>(null);
  const state = ref<LoadState>('idle');

  const filters = reactive<ListFilters>({ q: '', grid: null, difficulty: false, unlinked: false });
  const page = ref(0);
  const list = shallowRef<HouseholdPage | null>(null);
  const listState = ref<LoadState>('idle');
  /** The household picked in the list (the map flies to it and rings it). */
  const focused = shallowRef<HouseholdRecord | null>(null);
  const showLinks = ref(true);
  const showHouseholds = ref(true);

  let openSeq = 0;
  let listAbort: AbortController | null = null;

  const community = computed<CommunityProps | null>(
    () => communities.value?.features.find((f) => f.properties.id === communityId.value)?.properties ?? null,
  );
  const communityList = computed(() =>
    (communities.value?.features ?? []).map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code)),
  );
  const pageCount = computed(() => Math.max(1, Math.ceil((list.value?.total ?? 0) / PAGE_SIZE)));

  /** The community's key figures, from the roster (households, grids) and the links (members). */
  const figures = computed(() => {
    const r = roster.value;
    if (!r) return null;
    const sum = (k: 'households' | 'in_difficulty' | 'without_in_service_link') => r.reduce((a, g) => a + g[k], 0);
    // Members counted once even when they link households in two grids; the roster's per-grid
    // figure would count them twice.
    const members = links.value ? new Set(links.value.map((l) => l.cadre_id)).size : r.reduce((a, g) => a + g.in_service_members, 0);
    return {
      households: sum('households'),
      inDifficulty: sum('in_difficulty'),
      members,
      withoutLink: sum('without_in_service_link'),
      grids: r.length,
    };
  });

  async function guarded<T>(context: string, seq: number, load: () => Promise<T>, apply: (v: T) => void): Promise<boolean> {
    try {
      const v = await load();
      if (seq !== openSeq) return false;
      apply(v);
      notices.clear(context);
      return true;
    } catch (err) {
      if (seq !== openSeq || isAbort(err)) return false;
      notices.report(context, err, { retry: () => void open(communityId.value!) });
      return false;
    }
  }

  /** The communities this user may open; the server answers only those in their area. */
  async function loadCommunities(): Promise<CommunityProps[]> {
    if (!communities.value) {
      try {
        communities.value = markRaw(await fetchCommunities());
        notices.clear(t('community.store.communities'));
      } catch (err) {
        notices.report(t('community.store.communities'), err, { retry: () => void loadCommunities() });
      }
    }
    return communityList.value;
  }

  /** Loads (or switches to) one community; stale answers of a previous one are dropped. */
  async function open(id: number): Promise<void> {
    const seq = ++openSeq;
    if (communityId.value !== id) {
      communityId.value = id;
      grids.value = null;
      households.value = null;
      roster.value = null;
      links.value = null;
      list.value = null;
      focused.value = null;
      Object.assign(filters, { q: '', grid: null, difficulty: false, unlinked: false });
      page.value = 0;
    }
    state.value = 'loading';
    const results = await Promise.all([
      guarded(t('community.store.grids'), seq, () => fetchGrids({ community: id }), (fc) => (grids.value = markRaw(fc))),
      guarded(t('community.store.householdPoints'), seq, async () => (allHouseholds ??= markRaw(await fetchHouseholds())), () => undefined),
      guarded(t('community.store.roster'), seq, () => fetchRoster(id), (r) => (roster.value = markRaw(r))),
      guarded(t('community.store.links'), seq, () => fetchLinks(id), (l) => (links.value = markRaw(l))),
      loadList(),
    ]);
    if (seq !== openSeq) return;
    if (grids.value && allHouseholds) {
      const own = new Set(grids.value.features.map((f) => f.properties.id));
      households.value = markRaw(selectHouseholds(allHouseholds, (g) => own.has(g)));
    }
    state.value = results.every(Boolean) ? 'ready' : 'error';
  }

  /** Fetches the current page of the list; a newer request cancels an older one. */
  async function loadList(): Promise<boolean> {
    const id = communityId.value;
    if (id === null) return false;
    listAbort?.abort();
    const ctrl = new AbortController();
    listAbort = ctrl;
    listState.value = 'loading';
    try {
      const res = await fetchHouseholdRecords(
        { community: id, grid: filters.grid ?? undefined, q: filters.q, difficulty: filters.difficulty, unlinked: filters.unlinked, limit: PAGE_SIZE, offset: page.value * PAGE_SIZE },
        ctrl.signal,
      );
      if (ctrl !== listAbort) return false;
      list.value = markRaw(res);
      listState.value = 'ready';
      notices.clear(t('community.store.list'));
      return true;
    } catch (err) {
      if (isAbort(err) || ctrl !== listAbort) return false;
      listState.value = 'error';
      notices.report(t('community.store.list'), err, { retry: () => void loadList() });
      return false;
    }
  }

  /** Changes filters and goes back to the first page. */
  function setFilters(patch: Partial<ListFilters>): Promise<boolean> {
    Object.assign(filters, patch);
    page.value = 0;
    return loadList();
  }

  function goToPage(p: number): Promise<boolean> {
    page.value = Math.min(Math.max(0, p), pageCount.value - 1);
    return loadList();
  }

  function focus(h: HouseholdRecord | null): void {
    focused.value = h;
  }

  return {
    communities,
    communityList,
    communityId,
    community,
    grids,
    households,
    roster,
    links,
    state,
    filters,
    page,
    pageCount,
    list,
    listState,
    focused,
    showLinks,
    showHouseholds,
    figures,
    loadCommunities,
    open,
    loadList,
    setFilters,
    goToPage,
    focus,
  };
});
