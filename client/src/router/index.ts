// Routes. Each view is lazy-loaded (its own chunk). Every route but /login and the residents'
// /report pages needs a session: the guard asks /api/me once per page load and then decides by
// role (auth/roles.ts guardDecision).
// History mode needs the server to answer unknown non-/api paths with index.html (it does).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { guardDecision } from '../auth/roles';
import { useSessionStore } from '../stores/session';
import { useNoticeStore } from '../stores/notices';
import { t } from '../i18n';

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../views/LoginView.vue'),
    meta: { title: 'login', public: true },
  },
  {
    path: '/',
    name: 'map',
    component: () => import('../views/MapView.vue'),
    meta: { title: 'map' },
  },
  {
    // The leaders' wall screen; whole-city roles land here (auth/roles.ts landingPath).
    path: '/command',
    name: 'command',
    component: () => import('../views/CommandView.vue'),
    meta: { title: 'command' },
  },
  {
    // ?community=ID picks one of a subdistrict admin's communities; secretaries have just theirs.
    path: '/community',
    name: 'community',
    component: () => import('../views/CommunityView.vue'),
    meta: { title: 'community' },
  },
  {
    // Administrators only (auth/roles.ts readsAuditLog); everyone else is sent to their landing route.
    path: '/audit',
    name: 'audit',
    component: () => import('../views/AuditView.vue'),
    meta: { title: 'audit' },
  },
  {
    // Administrators only (auth/roles.ts importsBoundaries): the city's own boundaries from files.
    path: '/boundaries',
    name: 'boundaries',
    component: () => import('../views/BoundariesView.vue'),
    meta: { title: 'boundaries' },
  },
  {
    // The case inbox of every working role; ?case=ID opens one case (links from the map layers).
    path: '/cases',
    name: 'cases',
    component: () => import('../views/CasesView.vue'),
    meta: { title: 'cases' },
  },
  {
    // The grid planner; ?community=ID picks the community (auth/roles.ts seesPlanner).
    path: '/planner',
    name: 'planner',
    component: () => import('../views/PlannerView.vue'),
    meta: { title: 'planner' },
  },
  {
    // The resources list; every signed-in role reads it, a unit's staff edit their own unit's.
    path: '/resources',
    name: 'resources',
    component: () => import('../views/ResourcesView.vue'),
    meta: { title: 'resources' },
  },
  {
    // The powers delegated to the subdistricts (权力下放清单); every signed-in role reads it.
    path: '/powers',
    name: 'powers',
    component: () => import('../views/PowersView.vue'),
    meta: { title: 'powers' },
  },
  {
    // 社区工作者队伍: every signed-in role reads its area's figures; the roster and edits are the server's to allow.
    path: '/workforce',
    name: 'workforce',
    component: () => import('../views/WorkforceView.vue'),
    meta: { title: 'workforce' },
  },
  {
    // 红色尖刀班: every signed-in role reads its area's teams; progress reports are the server's to allow.
    path: '/vanguard',
    name: 'vanguard',
    component: () => import('../views/VanguardView.vue'),
    meta: { title: 'vanguard' },
  },
  {
    // 五社联动: the registry of social organisations; every signed-in role reads it.
    path: '/organisations',
    name: 'organisations',
    component: () => import('../views/OrganisationsView.vue'),
    meta: { title: 'organisations' },
  },
  {
    // 三级考评 of people and units: every signed-in role reads it; the administrator sets the weights.
    path: '/evaluation',
    name: 'evaluation',
    component: () => import('../views/EvaluationView.vue'),
    meta: { title: 'evaluation' },
  },
  {
    // The needs list: gathered in the grids, decided up the chain, matched with units' resources.
    path: '/needs',
    name: 'needs',
    component: () => import('../views/NeedsView.vue'),
    meta: { title: 'needs' },
  },
  {
    // Residents, no account: file a report; the follow link of one report (auth/roles.ts guardDecision).
    path: '/report',
    name: 'report',
    component: () => import('../views/ReportView.vue'),
    meta: { title: 'report', public: true },
  },
  {
    path: '/report/:token',
    name: 'report-follow',
    component: () => import('../views/ReportFollowView.vue'),
    meta: { title: 'reportFollow', public: true },
  },
  // Unknown paths land on the map (or, by role, the community view) rather than a blank page.
  { path: '/:pathMatch(.*)*', redirect: { name: 'map' } },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  try {
    await session.load();
  } catch (err) {
    // The server is unreachable: show why, and offer the login page (which will retry).
    useNoticeStore().report(t('shell.sessionContext'), err, { retry: () => window.location.reload() });
    return to.name === 'login' ? true : { name: 'login', query: { next: to.fullPath } };
  }
  const decision = guardDecision({ name: to.name as string, fullPath: to.fullPath, query: to.query }, session.role);
  return decision === true ? true : decision;
});

// meta.title names the page's title in the messages (shell.title.<key>), read in the current language.
router.afterEach((to) => {
  if (typeof to.meta.title === 'string') document.title = t(`shell.title.${to.meta.title}`);
});
