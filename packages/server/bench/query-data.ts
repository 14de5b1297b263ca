/**
 * Benchmark data generated inside the engine (millions of rows a second, no HTTP): opens spread
 * over 90 days ending now, each a walk of 1–6 page views with leaves and stay, then a hide;
 * scenes from several source families; users with profiles, devices and provinces, coming back
 * over the period. Inserted into `events`, so every rollup view is fed as by real ingest.
 */
import type { Store } from '../src/store/store.js';

const SCENES = [1001, 1089, 1007, 1047, 1005, 1037, 1035, 1058, 1104, 1011, 1008, 1200];
const MODELS = [
  'iPhone 15 Pro',
  'iPhone 14',
  'iPhone 13',
  'Mate 60 Pro',
  'Xiaomi 14',
  'OPPO Reno12',
  'vivo X100',
  'HONOR 200',
  'Redmi K70',
  'Galaxy S24',
];
const PLACES = [
  ['广东省', '深圳市'],
  ['广东省', '广州市'],
  ['北京', '北京市'],
  ['上海', '上海市'],
  ['浙江省', '杭州市'],
  ['江苏省', '南京市'],
  ['四川省', '成都市'],
  ['湖北省', '武汉市'],
  ['山东省', '济南市'],
  ['福建省', '厦门市'],
  ['河南省', '郑州市'],
  ['湖南省', '长沙市'],
  ['陕西省', '西安市'],
  ['重庆', '重庆市'],
  ['天津', '天津市'],
  ['辽宁省', '沈阳市'],
  ['安徽省', '合肥市'],
  ['云南省', '昆明市'],
  ['广西', '南宁市'],
  ['未知', '未知'],
];

/** Insert about `events` events for `app` (≈ 9 per open); returns the number stored. */
export async function generateEvents(store: Store, app: string, events: number, now: number): Promise<number> {
  const opens = Math.ceil(events / 9);
  const users = Math.max(100, Math.floor(opens / 8));
  const chunk = 2_000_000;
  for (let first = 0; first < opens; first += chunk) {
    const count = Math.min(chunk, opens - first);
    await store.command(
      `INSERT INTO events (app_id, ts, type, user_id, sid, path, scene, cold, dur_ms, gender, birth_year, platform, model,
         system, province, city, batch_id, received_at)
       SELECT {app:String}, fromUnixTimestamp64Milli(start + idx * 10000, {tz:String}) AS t,
         multiIf(idx = 0, 'open', idx = 2 * pages + 1, 'hide', idx % 2 = 1, 'pv', 'leave'),
         concat('u', toString(user)), concat('s', toString(s)),
         if(idx = 0 OR idx = 2 * pages + 1, '', concat('pages/p', toString((h + intDiv(idx - 1, 2) * 7) % 60), '/index')),
         if(idx = 0, {scenes:Array(UInt16)}[1 + h % length({scenes:Array(UInt16)})], 0), idx = 0 AND h % 3 = 0,
         if(idx > 0 AND idx % 2 = 0 AND idx <= 2 * pages, 2000 + cityHash64(s, idx) % 60000, 0),
         user % 3, if(user % 4 = 0, 0, 1960 + user % 50), if(user % 2 = 0, 'ios', 'android'),
         {models:Array(String)}[1 + user % length({models:Array(String)})], if(user % 2 = 0, 'iOS 18.1', 'Android 14'),
         {provinces:Array(String)}[1 + user % 20], {cities:Array(String)}[1 + user % 20],
         concat('bench-', toString(s)), t
       FROM (
         SELECT number + {first:UInt64} AS s, cityHash64(s) AS h,
           -- users come back: a user's opens are spread over the whole period
           h % {users:UInt64} AS user, 1 + cityHash64(s, 'pages') % 6 AS pages,
           {now:Int64} - toInt64(cityHash64(s, 'when') % toUInt64(90 * 86400000)) AS start
         FROM numbers({count:UInt64})
       ) ARRAY JOIN range(toUInt64(2 * pages + 2)) AS idx
       SETTINGS max_execution_time = 3600`,
      {
        app,
        tz: store.timeZone,
        first,
        count,
        users,
        now,
        scenes: SCENES,
        models: MODELS,
        provinces: PLACES.map((p) => p[0]!),
        cities: PLACES.map((p) => p[1]!),
      },
    );
    process.stderr.write(
      `\r  generated ${Math.min(first + count, opens).toLocaleString('en')} / ${opens.toLocaleString('en')} opens`,
    );
  }
  process.stderr.write('\n');
  const [row] = await store.query<{ n: string }>('SELECT count() AS n FROM events WHERE app_id = {app:String}', {
    app,
  });
  return Number(row?.n ?? 0);
}
