Page({
  openGoods() {
    wx.navigateTo({ url: '/pages/goods/goods?sku=A1' });
  },
  onShareAppMessage() {
    return { title: 'Miniscope shop' };
  },
});
