import { init } from '@miniscope/sdk';
import { useLaunch } from '@tarojs/taro';

// Before the app component: Taro calls App() and Page() after this module has run.
if (process.env.TARO_ENV === 'weapp') {
  init({ appid: 'wx5e0a1f2b3c4d5e6f', server: 'https://stats.example.com' });
}

function App({ children }) {
  useLaunch(() => {
    console.log('shop launched');
  });
  return children;
}

export default App;
