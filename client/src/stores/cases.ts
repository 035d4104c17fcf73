// The case inbox (/cases): filters, the current page of cases, the open case's detail, and the
// catalogues the forms need. Live events refresh the list and the open case without a reload.
import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef } from 'vue';
import {
  fetchCase,
  fetchCases,
  fetchCategories,
  fetchDepartments,
  type CaseCategory,
  type CaseDetail,
  type CasePage,
  type CaseQuery,
  type Department,
} from '../api/cases';
import { OPEN_STATUSES, type CaseLevel, type CaseStatus } from '@grid-atlas/contract';
import { onCaseChanges } from '../live/cases';
import { useNoticeStore } from './notices';
import { ApiError } from '../api/http';
import { t } from '../i18n';

/** What a person reads for a case they cannot open: never its id, never the server's words. */
export const caseMissingText = (): string => t('cases.missing');

export const PAGE_SIZE = 100;

export interface CaseFilters {
  status: CaseStatus | 'open' | '';
  category: string;
  level: CaseLevel | '';
  overdue: boolean;
  q: string;
}

export const useCasesStore = defineStore('cases', () => {
  const notices = useNoticeStore();

  const filters = reactive<CaseFilters>({ status: '', category: '', level: '', overdue: false, q: '' });
  const offset = ref(0);
  const page = shallowRef<CasePage | null>(null);
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const selectedId = ref<number | null>(null);
  const detail = shallowRef<CaseDetail | null>(null);
  /** Why the selected case cannot be shown (it does not exist or lies outside the user's scope). */
  const detailMissing = ref<string | null>(null);
  const categories = shallowRef<CaseCategory[]>([]);
  const departments = shallowRef<Department[]>([]);
  /** Cases changed by live events since they were last looked at (highlighted in the list). */
  const fresh = ref<Set<number>>(new Set());
  /** When the last live event arrived (shown as "实时更新 hh:mm:ss"). */
  const liveAt = ref<Date | null>(null);

  let listAbort: AbortController | null = null;
  let detailAbort: AbortController | null = null;

  const query = computed<CaseQuery>(() => ({
    status: filters.status === 'open' ? OPEN_STATUSES : filters.status ? [filters.status] : undefined,
    category: filters.category || undefined,
    level: filters.level || undefined,
    overdue: filters.overdue || undefined,
    q: filters.q || undefined,
    limit: PAGE_SIZE,
    offset: offset.value,
  }));

  async function loadList(): Promise<void> {
    listAbort?.abort();
    const ctl = (listAbort = new AbortController());
    if (!page.value) state.value = 'loading';
    try {
      const p = await fetchCases(query.value, ctl.signal);
      if (ctl.signal.aborted) return;
      page.value = markRaw(p);
      state.value = 'ready';
      notices.clear(t('cases.notice.list'));
    } catch (err) {
      if (ctl.signal.aborted) return;
      state.value = 'error';
      notices.report(t('cases.notice.list'), err, { retry: () => void loadList() });
    }
  }

  async function loadDetail(id: number | null = selectedId.value): Promise<void> {
    detailAbort?.abort();
    if (id === null) {
      detail.value = null;
      detailMissing.value = null;
      return;
    }
    const ctl = (detailAbort = new AbortController());
    detailMissing.value = null;
    try {
      const d = await fetchCase(id, ctl.signal);
      if (ctl.signal.aborted) return;
      detail.value = markRaw(d);
      notices.clear(t('cases.notice.detail'));
    } catch (err) {
      if (ctl.signal.aborted) return;
      // Not there, or not the user's: asking again changes nothing, so the panel says so in
      // words and offers the way back instead of a retry.
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
        detailMissing.value = caseMissingText();
        notices.clear(t('cases.notice.detail'));
        return;
      }
      notices.report(t('cases.notice.detail'), err, { retry: () => void loadDetail(id) });
    }
  }

  function select(id: number | null): void {
    if (id === selectedId.value && (id === null || detail.value?.case.id === id)) return;
    selectedId.value = id;
    if (detail.value?.case.id !== id) detail.value = null;
    if (id !== null && fresh.value.has(id)) {
      const next = new Set(fresh.value);
      next.delete(id);
      fresh.value = next;
    }
    void loadDetail(id);
  }

  function setFilters(patch: Partial<CaseFilters>): void {
    Object.assign(filters, patch);
    offset.value = 0;
    void loadList();
  }

  function setOffset(value: number): void {
    offset.value = Math.max(0, value);
    void loadList();
  }

  async function loadCatalogues(): Promise<void> {
    if (!categories.value.length) {
      try {
        categories.value = markRaw(await fetchCategories());
      } catch (err) {
        notices.report(t('cases.notice.categories'), err, { retry: () => void loadCatalogues() });
      }
    }
    if (!departments.value.length) {
      try {
        departments.value = markRaw(await fetchDepartments());
      } catch (err) {
        notices.report(t('cases.notice.departments'), err, { level: 'warning' });
      }
    }
  }

  /** Follows the live stream while a view needs it; returns the unsubscribe. */
  function follow(): () => void {
    return onCaseChanges((change) => {
      liveAt.value = new Date();
      const next = new Set(fresh.value);
      for (const id of change.caseIds) if (id !== selectedId.value) next.add(id);
      fresh.value = next;
      void loadList();
      if (selectedId.value !== null && (change.reset || change.caseIds.has(selectedId.value))) void loadDetail();
    });
  }

  return {
    filters, query, offset, page, state, selectedId, detail, detailMissing, categories, departments, fresh, liveAt,
    loadList, loadDetail, select, setFilters, setOffset, loadCatalogues, follow,
  };
});
