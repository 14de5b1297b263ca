/**
 * Ids of provinces and cities in the datacube portrait: GB/T 2260 codes (广东省 44, 广州市 4401), the
 * scheme whose shape WeChat's one published example has (docs/datacube-ids.md says why not its
 * numbers). Names come from ip2region ("广东省", "北京", "襄阳", "恩施"), so they are matched loosely:
 * a province by its first two characters, a city by the start of its official name.
 */
import { CITIES, PROVINCES } from './region-codes.js';

/** Cities merged into another since the table's data, by the code they had (莱芜 joined 济南 in 2019). */
const RETIRED: Record<string, number> = { 莱芜: 3712 };

/** Province id by the first two characters of its name (北京, 内蒙, 黑龙…). */
const provinceIds = new Map<string, number>();
/** Per province id: each city's official name and id. */
const cityLists = new Map<number, Array<readonly [string, number]>>();

/** "4401广州市 4403深圳市" → [['广州市', 4401], ['深圳市', 4403]] */
function entries(packed: string): Array<readonly [string, number]> {
  return packed.split(' ').map((entry) => {
    const [, code = '0', name = ''] = /^(\d+)(.*)$/.exec(entry) ?? [];
    return [name, Number(code)] as const;
  });
}

function load(): void {
  if (provinceIds.size > 0) return;
  for (const [name, id] of entries(PROVINCES)) provinceIds.set(name.slice(0, 2), id);
  for (const [id, packed] of Object.entries(CITIES)) cityLists.set(Number(id), entries(packed));
}

/** The province's id, 0 when unknown (未知, or a place outside China). */
export function provinceId(name: string): number {
  load();
  return provinceIds.get(name.slice(0, 2)) ?? 0;
}

/**
 * The city's id: its code within its province, 0 when the city or the province is unknown. A city
 * of a known province that has no code (Hong Kong's districts, a renamed city) gets the province's
 * id × 100, so the first two digits always name the province.
 */
export function cityId(province: string, city: string): number {
  const p = provinceId(province);
  const short = city.replace(/市$/, '');
  if (p === 0 || short === '' || city === '未知') return 0;
  const found = cityLists.get(p)?.find(([name]) => name.startsWith(short));
  return found ? found[1] : (RETIRED[short] ?? p * 100);
}
