/**
 * Login rate limiting: failed attempts are counted per client IP and per WeChat ID in a sliding
 * window; past the limit, logins are refused (429 with Retry-After) until the oldest failure ages
 * out. Counting per WeChat ID stops a spread-out guess at one account; per IP, one client guessing
 * across many accounts. In memory: a restart forgets, which costs an attacker a restart at most.
 */
export interface LimiterOptions {
  maxFailures: number;
  windowMs: number;
  now?: () => number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: LimiterOptions = { maxFailures: 5, windowMs: 15 * 60_000 }) {
    this.now = options.now ?? Date.now;
  }

  private keys(ip: string, wechatId: string): string[] {
    return [`ip:${ip}`, `id:${wechatId.toLowerCase()}`];
  }

  private recent(key: string): number[] {
    const since = this.now() - this.options.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before trying again, or 0 when a try is allowed. */
  retryAfter(ip: string, wechatId: string): number {
    let wait = 0;
    for (const key of this.keys(ip, wechatId)) {
      const list = this.recent(key);
      if (list.length >= this.options.maxFailures) {
        const oldest = list[list.length - this.options.maxFailures]!;
        wait = Math.max(wait, Math.ceil((oldest + this.options.windowMs - this.now()) / 1000));
      }
    }
    return wait;
  }

  fail(ip: string, wechatId: string): void {
    for (const key of this.keys(ip, wechatId)) this.failures.set(key, [...this.recent(key), this.now()]);
    if (this.failures.size > 100_000) this.sweep();
  }

  /** A successful login clears the account's count (not the IP's). */
  succeed(wechatId: string): void {
    this.failures.delete(`id:${wechatId.toLowerCase()}`);
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
