Page({
  onShow() {
    // WeChat's own analysis call: the SDK records it as a custom event too
    wx.reportAnalytics('view_cart', { items: 1 });
  },
});
