/**
 * Province and city from a client IP, with the offline ip2region database (no network). The IP is
 * only looked up, never stored. Anything outside China, or not placed, is 未知 (metrics.md).
 */
import ip2region from 'ip2region';

// NOTE: the package is CommonJS with `exports.default`; under ESM the class sits one level down.
const IP2Region = (ip2region as unknown as { default: typeof ip2region }).default ?? ip2region;

export const UNKNOWN_PLACE = '未知';

export interface Place {
  province: string;
  city: string;
}

export class Geo {
  private readonly db = new IP2Region({ disableIpv6: false });

  locate(ip: string | undefined): Place {
    if (!ip) return { province: UNKNOWN_PLACE, city: UNKNOWN_PLACE };
    try {
      const found = this.db.search(ip.startsWith('::ffff:') ? ip.slice(7) : ip);
      if (found?.country !== '中国' || !found.province) return { province: UNKNOWN_PLACE, city: UNKNOWN_PLACE };
      return { province: found.province, city: found.city || UNKNOWN_PLACE };
    } catch {
      return { province: UNKNOWN_PLACE, city: UNKNOWN_PLACE };
    }
  }
}
