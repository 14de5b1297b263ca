export default defineAppConfig({
  pages: ['pages/index/index', 'pages/goods/index', 'pages/cart/index'],
  window: { navigationBarTitleText: 'Shop', navigationBarBackgroundColor: '#ffffff', navigationBarTextStyle: 'black' },
});
