// The SDK first: init() must run before uni-app calls App() and the pages call Component().
// #ifdef MP-WEIXIN
import { init } from '@miniscope/sdk';

init({ appid: 'wx5e0a1f2b3c4d5e6f', server: 'https://stats.example.com' });

// #endif
import { createSSRApp } from 'vue';
import App from './App.vue';

export function createApp() {
  const app = createSSRApp(App);
  return { app };
}
