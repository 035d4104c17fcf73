// Who is signed in: the /api/me answer and the CSRF token that state-changing requests carry.
//
// load() asks the server once per page load (the router guard awaits it); a 401 there simply
// means nobody is signed in. The token is read by api/http.ts through configureHttp (main.ts),
// so the http layer never imports this store.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { ApiError } from '../api/http';
import { fetchMe, login as apiLogin, logout as apiLogout, type Me } from '../api/session';
import { homeCommunityId, isCityRole, seesPersonalData, worksInCommunity } from '../auth/roles';
import { applyLocale, currentLocale, keepLocale } from '../i18n';

export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<Me | null>(null);
  const csrfToken = ref<string | null>(null);
  /** 'unknown' until the first load() finished. */
  const state = ref<'unknown' | 'loading' | 'signed-in' | 'signed-out'>('unknown');
  let pending: Promise<Me | null> | null = null;

  const role = computed(() => me.value?.role ?? null);
  const cityRole = computed(() => (role.value ? isCityRole(role.value) : false));
  const personalData = computed(() => (role.value ? seesPersonalData(role.value) : false));
  const communityWorker = computed(() => (role.value ? worksInCommunity(role.value) : false));
  const homeCommunity = computed(() => (me.value ? homeCommunityId(me.value) : null));

  function apply(value: Me | null): void {
    me.value = value;
    // The account's language, unless this very address asks for one (?lang=).
    if (value && value.locale !== currentLocale() && !new URLSearchParams(window.location.search).has('lang')) {
      applyLocale(value.locale);
      keepLocale(value.locale);
    }
    csrfToken.value = value?.csrfToken ?? null;
    state.value = value ? 'signed-in' : 'signed-out';
  }

  /** GET /api/me once; later calls reuse the answer (pass force to ask again). */
  function load(force = false): Promise<Me | null> {
    if (!force && (state.value === 'signed-in' || state.value === 'signed-out')) return Promise.resolve(me.value);
    if (pending) return pending;
    state.value = 'loading';
    pending = fetchMe()
      .then((value) => {
        apply(value);
        return value;
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) {
          apply(null);
          return null;
        }
        state.value = 'unknown';
        throw err;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  /** Signs in, then loads the profile (role, scope). Server errors are thrown as ApiError. */
  async function login(username: string, password: string): Promise<Me> {
    const res = await apiLogin(username.trim(), password);
    csrfToken.value = res.csrfToken;
    const value = await fetchMe();
    apply(value);
    return value;
  }

  /** Ends the session on the server; the local state is dropped even if the call fails. */
  async function logout(): Promise<void> {
    try {
      await apiLogout();
    } finally {
      apply(null);
    }
  }

  return { me, csrfToken, state, role, isCityRole: cityRole, seesPersonalData: personalData, worksInCommunity: communityWorker, homeCommunity, load, login, logout };
});
