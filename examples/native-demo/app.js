// Miniscope in a native mini program: require the SDK and call init() before App().
// libs/miniscope.js is the SDK build, copied here by (from the repository root)
//   npm run build -w @miniscope/sdk -- --copy examples/native-demo/libs/miniscope.js
const miniscope = require('./libs/miniscope.js');

miniscope.init({
  appid: 'wx1a2b3c4d5e6f7a8b', // the AppID as registered on your Miniscope server
  server: 'https://stats.example.com', // your Miniscope server; add it to the request domains in the MP console
  debug: true, // logs each batch sent; turn off in production
});

App({
  onLaunch() {
    // After your own login (wx.login → your backend → code2Session), count the user by openid:
    const openid = wx.getStorageSync('openid');
    if (openid) miniscope.identify(openid);
  },
  globalData: {},
});
