// The page shares through useGoodsShare (../../share.js): Taro sees share hooks only in a page's own
// file, so sharing is turned on here. Without these, WeChat never calls the handlers: no share entry
// in the menu, and no share event.
export default definePageConfig({
  navigationBarTitleText: 'Goods',
  enableShareAppMessage: true,
  enableShareTimeline: true,
});
