const { track } = require('../../libs/miniscope.js');

const PRICE = 199;

Page({
  data: { sku: '', price: PRICE },
  onLoad(query) {
    this.setData({ sku: query.sku || 'A1' });
  },
  addToCart() {
    track('add_to_cart', { sku: this.data.sku, price: PRICE, vip: false });
  },
  openCart() {
    wx.navigateTo({ url: '/pages/cart/cart' });
  },
  onShareAppMessage() {
    return { title: `Goods ${this.data.sku}` };
  },
  onShareTimeline() {
    return { title: `Goods ${this.data.sku}` };
  },
});
