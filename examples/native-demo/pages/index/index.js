// Home: a page with a chat share handler and a custom event.
const miniscope = require('../../libs/miniscope.js');

Page({
  data: { goods: [{ sku: 'A1', name: 'Tea', price: 199 }] },

  onLoad(query) {
    this.setData({ from: query.from || '' });
  },

  openGoods(e) {
    const { sku } = e.currentTarget.dataset;
    miniscope.track('open_goods', { sku, from: 'home' });
    wx.navigateTo({ url: `/pages/goods/goods?sku=${sku}` });
  },

  openList() {
    wx.navigateTo({ url: '/pages/list/list' });
  },

  // Shared to a chat: the SDK counts it (to: 'chat'). Pages without this handler get no share entry.
  onShareAppMessage() {
    return { title: 'Miniscope demo', path: '/pages/index/index?from=share' };
  },
});
