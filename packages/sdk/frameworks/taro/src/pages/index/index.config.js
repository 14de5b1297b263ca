export default definePageConfig({
  navigationBarTitleText: 'Shop',
  enableShareAppMessage: true,
});
