/**
 * What the demo's mini program looks like: a shop with a page graph, the scene mix of a typical
 * WeChat app and device models. Where its users are: places.ts.
 */

/** page → [next page, weight]; the remaining weight of 1 is leaving. */
export const PAGE_GRAPH: Record<string, ReadonlyArray<readonly [string, number]>> = {
  'pages/index/index': [
    ['pages/goods/list', 0.35],
    ['pages/goods/detail', 0.2],
    ['pages/search/search', 0.15],
    ['pages/me/me', 0.05],
  ],
  'pages/goods/list': [
    ['pages/goods/detail', 0.55],
    ['pages/index/index', 0.1],
    ['pages/search/search', 0.1],
  ],
  'pages/search/search': [
    ['pages/goods/list', 0.45],
    ['pages/goods/detail', 0.25],
  ],
  'pages/goods/detail': [
    ['pages/cart/cart', 0.22],
    ['pages/goods/detail', 0.2],
    ['pages/goods/list', 0.15],
    ['pages/index/index', 0.08],
  ],
  'pages/cart/cart': [
    ['pages/order/confirm', 0.45],
    ['pages/goods/detail', 0.15],
  ],
  'pages/order/confirm': [['pages/order/result', 0.7]],
  'pages/order/result': [
    ['pages/index/index', 0.2],
    ['pages/me/orders', 0.3],
  ],
  'pages/me/me': [
    ['pages/me/orders', 0.4],
    ['pages/me/coupons', 0.25],
  ],
  'pages/me/orders': [['pages/goods/detail', 0.2]],
  'pages/me/coupons': [['pages/goods/list', 0.3]],
};

/** [scene, weight, entry page]: shares land on a product, QR codes on the home page, … */
export const SCENES: ReadonlyArray<readonly [number, number, string]> = [
  [1001, 18, 'pages/index/index'],
  [1089, 14, 'pages/index/index'],
  [1007, 10, 'pages/goods/detail'],
  [1008, 6, 'pages/goods/detail'],
  [1047, 7, 'pages/index/index'],
  [1011, 3, 'pages/index/index'],
  [1005, 6, 'pages/search/search'],
  [1053, 3, 'pages/goods/list'],
  [1037, 3, 'pages/goods/detail'],
  [1038, 2, 'pages/order/result'],
  [1035, 3, 'pages/index/index'],
  [1058, 4, 'pages/goods/detail'],
  [1023, 3, 'pages/index/index'],
  [1104, 4, 'pages/index/index'],
  [1014, 2, 'pages/me/orders'],
  [1043, 1, 'pages/me/orders'],
  [1045, 3, 'pages/goods/detail'],
  [1036, 1, 'pages/goods/detail'],
  [1154, 2, 'pages/goods/detail'],
  [1012, 1, 'pages/index/index'],
  [1124, 1, 'pages/index/index'],
  [1026, 1, 'pages/index/index'],
  [1020, 1, 'pages/index/index'],
  [1022, 1, 'pages/index/index'],
  [1099, 1, 'pages/index/index'],
  [1200, 1, 'pages/index/index'],
];

export const DEVICES: ReadonlyArray<readonly [string, string, string, string, number]> = [
  ['ios', 'Apple', 'iPhone 15 Pro', 'iOS 18.1', 14],
  ['ios', 'Apple', 'iPhone 14', 'iOS 17.5', 12],
  ['ios', 'Apple', 'iPhone 13', 'iOS 17.2', 10],
  ['ios', 'Apple', 'iPhone 16 Pro Max', 'iOS 18.2', 6],
  ['ios', 'Apple', 'iPhone 12', 'iOS 16.7', 5],
  ['android', 'HUAWEI', 'Mate 60 Pro', 'Android 12', 9],
  ['ohos', 'HUAWEI', 'Mate 70', 'HarmonyOS 5.0', 4],
  ['android', 'Xiaomi', 'Xiaomi 14', 'Android 14', 8],
  ['android', 'Xiaomi', 'Redmi K70', 'Android 14', 6],
  ['android', 'OPPO', 'OPPO Reno12', 'Android 14', 6],
  ['android', 'vivo', 'vivo X100', 'Android 14', 6],
  ['android', 'HONOR', 'HONOR 200', 'Android 14', 4],
  ['android', 'samsung', 'Galaxy S24', 'Android 14', 2],
  ['windows', 'microsoft', 'PC', 'Windows 11', 2],
  ['mac', 'Apple', 'MacBookPro18,1', 'macOS 14.5', 1],
];

export const CUSTOM_EVENTS = ['add_to_cart', 'checkout', 'pay_success', 'coupon_claim'] as const;
