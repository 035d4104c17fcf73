// Routes. Add a view by adding an entry here (lazy-loaded, so each view is its own chunk), e.g.
//   { path: '/login', name: 'login', component: () => import('../views/LoginView.vue') }
//   { path: '/community/:id', name: 'community', component: () => import('../views/CommunityView.vue'), props: true }
// History mode needs the server to answer unknown non-/api paths with index.html.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'map',
    component: () => import('../views/MapView.vue'),
    meta: { title: '恩施市 网格一张图' },
  },
  // Unknown paths land on the map rather than a blank page.
  { path: '/:pathMatch(.*)*', redirect: { name: 'map' } },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
});

router.afterEach((to) => {
  if (typeof to.meta.title === 'string') document.title = to.meta.title;
});
