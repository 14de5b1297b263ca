/** The dashboard's entry: global styles, the router, the session's 401 handling, mount. */
import { createApp } from 'vue';
import { onUnauthenticated } from '@/api/client';
import { locale } from '@/i18n';
import { forget } from '@/state/session';
import App from './App.vue';
import { router } from './router';
import './styles.css';

document.documentElement.lang = locale.value;

onUnauthenticated(() => {
  forget();
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.replace({ name: 'login', query: { next: here.fullPath } });
});

createApp(App).use(router).mount('#app');
