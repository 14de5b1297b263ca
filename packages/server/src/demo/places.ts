/**
 * Where the demo's users are: a province drawn from a realistic mainland mix, then an IP that
 * ip2region places in that province (found by sweeping the address blocks where Chinese addresses
 * are dense), so the location step of ingest really runs. Drawing IPs at random instead follows
 * address space, where 台湾省 and 香港 hold far more than their share of a mainland app's users.
 */
import { Geo } from '../ingest/geo.js';
import type { Random } from './random.js';

/** Residents in millions (2020 census), as ip2region names the province. */
const POPULATION: ReadonlyArray<readonly [string, number]> = [
  ['广东省', 126.0],
  ['山东省', 101.5],
  ['河南省', 99.4],
  ['江苏省', 84.7],
  ['四川省', 83.7],
  ['河北省', 74.6],
  ['湖南省', 66.4],
  ['浙江省', 64.6],
  ['安徽省', 61.0],
  ['湖北省', 57.8],
  ['广西', 50.1],
  ['云南省', 47.2],
  ['江西省', 45.2],
  ['辽宁省', 42.6],
  ['福建省', 41.5],
  ['陕西省', 39.5],
  ['贵州省', 38.6],
  ['山西省', 34.9],
  ['重庆', 32.1],
  ['黑龙江省', 31.9],
  ['新疆', 25.9],
  ['甘肃省', 25.0],
  ['上海', 24.9],
  ['吉林省', 24.1],
  ['内蒙古', 24.0],
  ['北京', 21.9],
  ['天津', 13.9],
  ['海南省', 10.1],
  ['宁夏', 7.2],
  ['青海省', 5.9],
  ['西藏', 3.6],
];

/** Where internet use and mini-program use run highest: their people count 1.3 times. */
const BUSY = new Set(['广东省', '江苏省', '浙江省', '上海', '北京']);

/**
 * Each province's weight: its residents, × 1.3 where use runs highest, which puts 广东, 江苏, 山东,
 * 河南 and 浙江 on top as in CNNIC's counts of internet users; a few users in Hong Kong and Macao.
 */
export const PROVINCE_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ...POPULATION.map(([name, people]) => [name, BUSY.has(name) ? people * 1.3 : people] as const),
  ['香港', 0.5],
  ['澳门', 0.1],
];

/** First octets of the blocks swept (dense in addresses ip2region places in China). */
const BLOCKS = [
  1, 14, 27, 36, 39, 42, 49, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
  123, 124, 125, 171, 175, 180, 182, 183, 202, 210, 211, 218, 219, 220, 221, 222, 223,
];

/** IPs per province: two addresses in every /16 of the blocks (~22,000 lookups, a quarter second). */
export function provinceIps(geo = new Geo()): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const a of BLOCKS)
    for (let b = 0; b < 256; b++)
      for (const c of [b, 255 - b]) {
        const ip = `${a}.${b}.${c}.${(a + b) % 254 || 1}`;
        const { province } = geo.locate(ip);
        const list = found.get(province);
        if (list) list.push(ip);
        else found.set(province, [ip]);
      }
  return found;
}

/** Picks a user's IP: a province by PROVINCE_WEIGHTS (those the sweep found), then one of its IPs. */
export function demoIpPicker(ips: Map<string, string[]> = provinceIps()): (random: Random) => string {
  const weights = PROVINCE_WEIGHTS.filter(([name]) => ips.has(name));
  return (random) => random.pick(ips.get(random.weighted(weights))!);
}
