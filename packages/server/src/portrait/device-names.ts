/**
 * Display names of device models and platforms for the portrait (用户画像 终端/机型). WeChat's runtime
 * reports Android's raw model code (`23127PN0CC`, brand `Xiaomi`) and, on iOS, a name with Apple's
 * identifier (`iPhone 15 Pro<iPhone16,1>`, brand `iPhone`); the data assistant shows marketing names.
 * The names come from the model database of Matomo's DeviceDetector as packaged by
 * node-device-detector (kept up to date upstream; covers Xiaomi/Redmi, Huawei, Honor, OPPO, vivo,
 * OnePlus and Apple identifiers). Only its mobile table and its code index are loaded, on the first
 * call; names are remembered per brand and model. A brand's first lookups run slowly (up to ~0.3 s)
 * until V8 compiles its patterns; warmDeviceNames() does that ahead for the common brands.
 */
import { createRequire } from 'node:module';

interface ModelMatch {
  brand: string;
  model: string;
}

interface MobileParser {
  collection: Record<string, unknown>;
  parse(userAgent: string): ModelMatch | null;
}

interface Dataset {
  /** The whole table: brand → its patterns and models. */
  all: Record<string, unknown>;
  /** One parser per brand of the database, each holding only that brand's models (made on use). */
  parsers: Map<string, MobileParser>;
  Mobile: new () => MobileParser;
  /** Lower-case model code → short ids of the brands that make it. */
  codeIndex: Record<string, string[] | undefined>;
  /** Short brand id → brand name. */
  brandNames: Record<string, string | undefined>;
  /** Lower-case brand name → brand name. */
  brandsByName: Map<string, string>;
}

let dataset: Dataset | undefined;

function load(): Dataset {
  if (dataset) return dataset;
  const require = createRequire(import.meta.url);
  const Mobile = require('node-device-detector/parser/device/mobile.js') as new () => MobileParser;
  const all = new Mobile().collection;
  const brandNames = require('node-device-detector/parser/device/brand-short.js') as Dataset['brandNames'];
  dataset = {
    all,
    parsers: new Map(),
    Mobile,
    codeIndex: require('node-device-detector/regexes/device-index-hash.js') as Dataset['codeIndex'],
    brandNames,
    brandsByName: new Map(Object.keys(all).map((b) => [b.toLowerCase(), b])),
  };
  return dataset;
}

/** Brands as WeChat's runtime writes them (Build.BRAND, or iPhone), where the database files them elsewhere. */
const BRAND_ALIASES: Record<string, string[]> = {
  iphone: ['Apple'],
  redmi: ['Xiaomi'],
  poco: ['Xiaomi'],
  blackshark: ['Xiaomi'],
  iqoo: ['Vivo'],
  honor: ['Honor', 'Huawei'],
  oneplus: ['OnePlus', 'OPPO'],
  realme: ['Realme', 'OPPO'],
};

/** How brands write their own names (the database has Vivo, Huawei…). */
const BRAND_STYLE: Record<string, string> = {
  Vivo: 'vivo',
  Huawei: 'HUAWEI',
  Honor: 'HONOR',
  Realme: 'realme',
  Meizu: 'MEIZU',
  Nubia: 'nubia',
};

/** Models whose name is a brand of its own, shown without the maker (Redmi K70, not Xiaomi Redmi K70). */
const OWN_BRANDS = /^(redmi|poco|iqoo|honor|black shark)\b/i;

const styled = (brand: string) => BRAND_STYLE[brand] ?? brand;

function candidateBrands(data: Dataset, brand: string, code: string): string[] {
  const out = new Set<string>();
  for (const id of data.codeIndex[code.toLowerCase()] ?? []) {
    const name = data.brandNames[id];
    if (name) out.add(name);
  }
  const key = brand.trim().toLowerCase();
  for (const name of BRAND_ALIASES[key] ?? []) out.add(name);
  const direct = data.brandsByName.get(key);
  if (direct) out.add(direct);
  return [...out];
}

/** The database's brand and model for a model code, trying only the brands it may belong to. */
function lookUp(brand: string, code: string): ModelMatch | undefined {
  const data = load();
  // NOTE: the database matches user agents; a model code sits in one the way Android writes it.
  const ua = /^(iPhone|iPad|iPod)/.test(code)
    ? `Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) ${code}`
    : `Mozilla/5.0 (Linux; Android 14; ${code} Build/UP1A)`;
  for (const name of candidateBrands(data, brand, code)) {
    const found = parser(data, name).parse(ua);
    // A model the database does not know may still match its maker's catch-all ("iPhone").
    if (found?.model && !/^(iPhone|iPad|iPod)$/.test(found.model)) return found;
  }
  return undefined;
}

function parser(data: Dataset, brand: string): MobileParser {
  let made = data.parsers.get(brand);
  if (!made) {
    made = new data.Mobile();
    made.collection = { [brand]: data.all[brand] };
    data.parsers.set(brand, made);
  }
  return made;
}

function join(brand: string, model: string): string {
  if (brand === '' || brand === 'Apple' || OWN_BRANDS.test(model)) return model;
  const shown = styled(brand);
  return model.toLowerCase().startsWith(shown.toLowerCase()) ? model : `${shown} ${model}`;
}

function compute(brand: string, model: string): string {
  const wechat = /^(.*)<([^<>]+)>$/.exec(model); // iOS: "iPhone 15 Pro<iPhone16,1>"
  const code = (wechat ? wechat[2] : model)?.trim() ?? '';
  const found = lookUp(brand, code);
  if (found) return join(found.brand, found.model);
  const label = wechat?.[1]?.trim();
  if (label && label.toLowerCase() !== 'unknown') return label;
  return join(knownBrand(brand), code);
}

/** The reported brand as its maker writes it, if the database knows it ('' if not, or Apple). */
function knownBrand(brand: string): string {
  const key = brand.trim().toLowerCase();
  const filed = load().brandsByName.get(key);
  if (filed) return filed;
  return BRAND_ALIASES[key] && key !== 'iphone' ? brand.trim() : '';
}

const remembered = new Map<string, string>();
const REMEMBER_AT_MOST = 50_000;

/**
 * The name to show for a device: its marketing name (`Xiaomi 14` for brand Xiaomi, model
 * 23127PN0CC; `iPhone 15 Pro` for `iPhone 15 Pro<iPhone16,1>` or `iPhone16,1`), else the model as
 * reported, led by its brand when the brand is known and the model does not name it. Keep the
 * reported model beside it (tooltip, CSV): several codes share one name.
 */
export function deviceDisplayName(brand: string, model: string): string {
  const trimmed = model.trim();
  if (trimmed === '' || trimmed === '未知') return '未知';
  const key = `${brand}\u001f${trimmed}`;
  let name = remembered.get(key);
  if (name === undefined) {
    name = compute(brand, trimmed);
    if (remembered.size >= REMEMBER_AT_MOST) remembered.clear();
    remembered.set(key, name);
  }
  return name;
}

/** Brands WeChat users mostly carry, one model code each: warming them compiles their patterns. */
const WARM_UP: Array<[string, string]> = [
  ['iPhone', 'iPhone 15 Pro<iPhone16,1>'],
  ['HUAWEI', 'ALN-AL00'],
  ['HONOR', 'PGT-AN10'],
  ['Xiaomi', '23127PN0CC'],
  ['OPPO', 'PHW110'],
  ['vivo', 'V2309A'],
  ['OnePlus', 'PHB110'],
  ['samsung', 'SM-S9180'],
];

/**
 * Loads the database and compiles the common brands' patterns, one brand per turn of the event loop,
 * so that a server can do it after start instead of in the first portrait request.
 */
export async function warmDeviceNames(): Promise<void> {
  for (const [brand, model] of WARM_UP) {
    // NOTE: V8 interprets a pattern's first runs and compiles it to machine code after a few; the
    // brands' patterns are huge alternations, slow until then (a tenth of a second a run).
    for (let run = 0; run < 3; run++) lookUp(brand, model.replace(/^.*<|>$/g, ''));
    deviceDisplayName(brand, model);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const PLATFORM_IDS: Record<number, string> = { 1: 'iPhone', 2: 'Android', 3: '其他' };
const PLATFORMS: Record<string, string> = {
  ios: 'iPhone',
  android: 'Android',
  ohos: 'HarmonyOS',
  windows: 'Windows',
  mac: 'Mac',
  devtools: '开发者工具',
};

/**
 * The platform's display name. Portrait ids (a number, or its string as portrait items carry it) as
 * WeChat labels them (1 iPhone, 2 android, 3 其他), capitalised (Android); a platform as the SDK
 * reports it (ios, android, ohos…) likewise.
 */
export function platformDisplayName(platform: number | string): string {
  if (typeof platform === 'number' || /^\d+$/.test(platform)) return PLATFORM_IDS[Number(platform)] ?? PLATFORM_IDS[3]!;
  const known = PLATFORMS[platform.toLowerCase()];
  if (known) return known;
  return platform === '' ? '未知' : platform.charAt(0).toUpperCase() + platform.slice(1);
}
