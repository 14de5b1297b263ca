Page({
  onShow() {
    console.log('cart shown');
  },
});
