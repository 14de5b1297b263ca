/**
 * English names of what the API names in Chinese (as WeChat shows it): access sources by key,
 * provinces by name, and the portrait's genders, platforms and age bands by id. In zh-CN, and for
 * anything not listed (cities, device models, scene names), the API's name is shown as is, but
 * for platforms, which are capitalised (the API writes WeChat's "android").
 */

const SOURCES_EN: Record<number, string> = {
  1: 'Recently used',
  2: 'Search',
  3: 'Chats',
  4: 'Scan QR code',
  5: 'Official account profile',
  6: 'Top of chats',
  7: 'Home screen',
  8: 'Mini program profile',
  9: 'Nearby mini programs',
  10: 'Other',
  11: 'Template messages',
  12: 'Customer service messages',
  13: 'Official account menu',
  14: 'Shared from an app',
  15: 'Payment completed page',
  16: 'Long-press QR code',
  17: 'QR code from album',
  18: 'Official account articles',
  19: 'Wallet',
  20: 'Cards and offers',
  21: 'Cards in mini programs',
  22: 'Other mini programs',
  23: 'Back from other mini programs',
  24: 'Card store list',
  25: 'Search box shortcut',
  26: 'Mini program service messages',
  27: 'Official account notifications',
  28: 'System chat menu',
  29: 'Taskbar: recently used',
  30: 'Long-press menu dot',
  31: 'Wi-Fi connected page',
  32: 'City services',
  33: 'WeChat ads',
  34: 'Other mobile apps',
  35: 'Discover: my mini programs',
  36: 'Taskbar: my mini programs',
  37: 'WeChat circles',
  38: 'Mobile top-up',
  39: 'H5',
  40: 'Plugins',
  41: 'Popular',
  42: 'Discover',
  43: 'Floating window',
  44: 'People nearby',
  45: 'Top Stories',
  46: 'Moments',
  47: 'WeCom',
  48: 'Channels',
  49: 'Favorites',
  50: 'Red packets',
  51: 'Game center',
  52: 'Shake',
  53: 'Official account shopping messages',
  54: 'Scan objects',
  55: 'Mini program orders',
  56: 'Mini program live',
  57: 'Group tools',
};

/** Province-level names by their first characters (the API may add 省, 市, 自治区 …). */
const PROVINCES_EN: Array<[string, string]> = [
  ['北京', 'Beijing'],
  ['天津', 'Tianjin'],
  ['河北', 'Hebei'],
  ['山西', 'Shanxi'],
  ['内蒙古', 'Inner Mongolia'],
  ['辽宁', 'Liaoning'],
  ['吉林', 'Jilin'],
  ['黑龙江', 'Heilongjiang'],
  ['上海', 'Shanghai'],
  ['江苏', 'Jiangsu'],
  ['浙江', 'Zhejiang'],
  ['安徽', 'Anhui'],
  ['福建', 'Fujian'],
  ['江西', 'Jiangxi'],
  ['山东', 'Shandong'],
  ['河南', 'Henan'],
  ['湖北', 'Hubei'],
  ['湖南', 'Hunan'],
  ['广东', 'Guangdong'],
  ['广西', 'Guangxi'],
  ['海南', 'Hainan'],
  ['重庆', 'Chongqing'],
  ['四川', 'Sichuan'],
  ['贵州', 'Guizhou'],
  ['云南', 'Yunnan'],
  ['西藏', 'Tibet'],
  ['陕西', 'Shaanxi'],
  ['甘肃', 'Gansu'],
  ['青海', 'Qinghai'],
  ['宁夏', 'Ningxia'],
  ['新疆', 'Xinjiang'],
  ['台湾', 'Taiwan'],
  ['香港', 'Hong Kong'],
  ['澳门', 'Macao'],
  ['未知', 'Unknown'],
];

const PORTRAIT_IDS_EN: Record<'genders' | 'platforms' | 'ages', Record<number, string>> = {
  genders: { 0: 'Unknown', 1: 'Male', 2: 'Female' },
  platforms: { 1: 'iPhone', 2: 'Android', 3: 'Other' },
  ages: { 0: 'Unknown', 1: '17 and under', 2: '18–24', 3: '25–29', 4: '30–39', 5: '40–49', 6: '50 and over' },
};

type Locale = 'zh-CN' | 'en';

/** An access source's name in the locale (`name`: the API's). */
export function sourceName(locale: Locale, key: number, name: string): string {
  return locale === 'en' ? (SOURCES_EN[key] ?? name) : name;
}

/** Platforms as the dashboard names them in Chinese: capitalised (WeChat's API writes "android"). */
const PLATFORMS_ZH: Record<number, string> = { 1: 'iPhone', 2: 'Android', 3: '其他' };

/** Words the API uses for the rest of a dimension, in English. */
const OTHERS_EN: Record<string, string> = { 未知: 'Unknown', 其他: 'Other' };

/**
 * A portrait item's name in the locale: provinces by name, genders, platforms and ages by id;
 * cities and device models as they are, but for 未知 and 其他. Platforms are capitalised in
 * both languages (iPhone, Android).
 */
export function portraitName(locale: Locale, dim: string, item: { id?: number; name: string }): string {
  if (dim === 'platforms' && locale !== 'en') return (item.id !== undefined && PLATFORMS_ZH[item.id]) || item.name;
  if (locale !== 'en') return item.name;
  if (dim === 'province') return PROVINCES_EN.find(([zh]) => item.name.startsWith(zh))?.[1] ?? item.name;
  if (dim === 'city' || dim === 'devices') return OTHERS_EN[item.name] ?? item.name;
  const ids = PORTRAIT_IDS_EN[dim as keyof typeof PORTRAIT_IDS_EN];
  return (ids && item.id !== undefined ? ids[item.id] : undefined) ?? item.name;
}
