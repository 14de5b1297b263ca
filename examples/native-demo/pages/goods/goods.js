// Goods detail: shares to chats and to Moments, and a custom event with props.
const miniscope = require('../../libs/miniscope.js');

Page({
  data: { sku: '', price: 199 },

  onLoad(query) {
    this.setData({ sku: query.sku || 'A1' });
  },

  addToCart() {
    miniscope.track('add_to_cart', { sku: this.data.sku, price: this.data.price });
    wx.showToast({ title: 'Added' });
  },

  onShareAppMessage() {
    return { title: 'Look at this', path: `/pages/goods/goods?sku=${this.data.sku}` };
  },

  onShareTimeline() {
    return { title: 'Look at this', query: `sku=${this.data.sku}` };
  },
});
