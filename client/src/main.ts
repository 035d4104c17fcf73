// First: zod must be jitless before any of the contract's schemas is built (see the module).
import '@grid-atlas/contract/jitless';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { configureHttp } from './api/http';
import { i18n } from './i18n';
import { loadClientConfig } from './config';
import { router } from './router';
import { useSessionStore } from './stores/session';
import './styles/global.css';
import './styles/ui.css';

const pinia = createPinia();
const app = createApp(App).use(pinia).use(i18n).use(router);

// The http layer reads the CSRF token from the session store and, on a 401, returns the user to
// the sign-in page with the current path as `next`. A full page load (not router.push) so that
// no store keeps the ended session's data, personal data included.
const session = useSessionStore(pinia);
configureHttp({
  csrfToken: () => session.csrfToken,
  currentPath: () => router.currentRoute.value.fullPath,
});

// Deployment settings (a basemap) come from the server before anything draws a map.
void loadClientConfig().then(() => app.mount('#app'));
