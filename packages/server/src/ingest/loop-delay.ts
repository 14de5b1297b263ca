/**
 * The event loop's recent delay. When the process is short of CPU (its own load or the machine's),
 * a request waits in the loop before the ingest code sees it, so the queue's own waiting times
 * understate what senders wait; admission (collector.ts) takes this delay into account too.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const WINDOW_MS = 1000;

export class LoopDelay {
  private readonly histogram = monitorEventLoopDelay({ resolution: 20 });
  private readonly timer: NodeJS.Timeout;
  /** The longest delay seen in the last window, in ms. */
  recentDelayMs = 0;

  constructor() {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.recentDelayMs = this.histogram.max / 1e6;
      this.histogram.reset();
    }, WINDOW_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
