/**
 * The deployment's outgoing notification webhook: each notice is POSTed as JSON to one configured
 * URL, retried with exponential backoff, and never awaited by the request that caused it. A notice
 * that still fails after the last try is logged and dropped: a grant never waits on, or fails
 * because of, the receiver.
 */
export interface WebhookLogger {
  warn(obj: object, msg: string): void;
}

export interface WebhookOptions {
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

export class Webhook {
  private readonly inFlight = new Set<Promise<void>>();
  log: WebhookLogger = { warn: (obj, msg) => console.warn(msg, JSON.stringify(obj)) };

  constructor(
    readonly url: string,
    private readonly options: WebhookOptions = {},
  ) {}

  /** Queue one notice; returns at once. */
  send(body: object): void {
    const task = this.deliver(body).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Resolves when every notice sent so far has been delivered or given up (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private async deliver(body: object): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    const base = this.options.baseDelayMs ?? 1000;
    let problem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        await response.body?.cancel();
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
      } catch (error) {
        problem = (error as Error).message;
      }
      if (attempt < attempts) await sleep(base * 2 ** (attempt - 1));
    }
    this.log.warn({ url: this.url, attempts, problem }, 'notification webhook failed; notice dropped');
  }
}
