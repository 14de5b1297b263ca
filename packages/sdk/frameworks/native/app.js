// The SDK first: init() must run before App() and before the page files call Page().
// libs/miniscope.js is dist/miniscope.js of @miniscope/sdk, copied (the check script copies it).
const { init } = require('./libs/miniscope.js');

init({ appid: 'wx5e0a1f2b3c4d5e6f', server: 'https://stats.example.com' });

App({
  onLaunch() {
    console.log('shop launched');
  },
});
