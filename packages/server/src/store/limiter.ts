/**
 * A counting semaphore. Each pending chdb call holds a libuv worker, so the store caps the calls in
 * flight to keep fs, crypto and dns responsive (research/storage-spike.md, rule 4).
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
