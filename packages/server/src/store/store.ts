/**
 * The event store: ClickHouse SQL through `@clickhouse/client`, embedded (chdb under the data
 * directory) or a server at CLICKHOUSE_URL, with the same code. It enforces the engine's rules
 * (research/storage-spike.md): clients opened once; separate clients for ingest and reads so a slow
 * report never stalls ingestion; calls in flight capped; no per-call settings; no JS Dates bound;
 * 64-bit integers quoted on both backends. A third kind of client, the probe, takes the short
 * statements that must not queue behind reports or compaction: readiness pings and ledger lookups.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { Limiter } from './limiter.js';

export type QueryParams = Record<string, string | number | boolean | string[] | number[] | null>;

export interface StoreOptions {
  /** Embedded data directory (chdb); ignored when `url` is set. */
  dataDir: string;
  /** A ClickHouse server; unset = embedded. */
  url?: string;
  timeZone: string;
  /** Parallel insert clients: two clients on one chdb path nearly double the insert rate. */
  ingestClients?: number;
  /**
   * Embedded only: the engine's memory ceiling in MB (0 = the engine's default, 90 % of the RAM).
   * Past it a statement fails (an insert is then answered 503) instead of the process growing.
   */
  memoryLimitMb?: number;
}

/**
 * The embedded engine's start arguments (server settings, given to the process's first connection
 * on a data directory, whichever module opens it): its caches capped well below their defaults
 * (5 GiB each), as a Miniscope shares its machine and reports read small cubes; its memory ceiling;
 * and the path BACKUP may write to (backup/engine.ts).
 */
export function embeddedEngineArgs(memoryLimitMb?: number): string[] {
  return [
    '--mark_cache_size=268435456',
    '--index_mark_cache_size=134217728',
    '--primary_index_cache_size=134217728',
    '--uncompressed_cache_size=0',
    ...(memoryLimitMb ? [`--max_server_memory_usage=${memoryLimitMb * 1048576}`] : []),
    // NOTE: `/`: the only BACKUP statements are backup/'s, to a directory the operator named.
    '--backups.allowed_path=/',
  ];
}

/** Settings fixed at client level, identical on both backends (per-call settings stick in chdb). */
const CLIENT_SETTINGS = { output_format_json_quote_64bit_integers: 1 } as const;

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** Insert deduplication tokens: made by the server, so they may be written into the statement. */
const DEDUP_TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

export interface InsertOptions {
  /**
   * The engine stores a block once per token: an insert that failed after writing part of its
   * blocks can be sent again with the same token and the same rows, and only the missing part is
   * written (tables with `non_replicated_deduplication_window`, and the views fed by them).
   */
  dedupToken?: string;
}

export class Store {
  private readonly limiter = new Limiter(4);
  /**
   * Reads and commands of the read client go one at a time when embedded: chdb runs them so anyway
   * (one client, and parameterized statements one at a time in the process), but a queue of them
   * inside chdb would hold up the probe's lookups too; queued here, at most one is ahead of those.
   */
  private readonly reads: Limiter;
  private nextIngest = 0;

  private constructor(
    readonly timeZone: string,
    readonly embedded: boolean,
    private readonly ingestClients: ClickHouseClient[],
    private readonly readClient: ClickHouseClient,
    private readonly probeClient: ClickHouseClient,
  ) {
    this.reads = new Limiter(embedded ? 1 : 4);
  }

  static async open(options: StoreOptions): Promise<Store> {
    const count = options.ingestClients ?? 2;
    const { make, engine } = await clientFactory(options);
    const ingest = Array.from({ length: count }, make);
    const store = new Store(options.timeZone, !options.url, ingest, make(), make());
    store.engine = engine;
    await store.query('SELECT 1 AS ok');
    return store;
  }

  /** The embedded engine's own session, which set its server settings (closed last). */
  private engine: { close(): void } | undefined;

  /** Insert rows (JSONEachRow) on the next ingest client; resolves when the rows are stored. */
  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const client = this.ingestClients[this.nextIngest++ % this.ingestClients.length]!;
    await this.tracked(() =>
      this.limiter.run(() => client.insert({ table, values: rows as object[], format: 'JSONEachRow' })),
    );
  }

  /**
   * Resolves once every insert this store started before `time` (epoch ms, this process's clock) has
   * ended, so that what they wrote is visible: compaction waits for this before it reads what
   * changed, and so needs no long margin for inserts still running (metrics/plan/freshness.ts).
   */
  async insertsSettled(time = Date.now()): Promise<void> {
    const earlier = [...this.inserting].filter(([, startedAt]) => startedAt < time).map(([insert]) => insert);
    await Promise.allSettled(earlier);
  }

  /** The inserts running now, with when each started. */
  private readonly inserting = new Map<Promise<unknown>, number>();

  private tracked<T>(insert: () => Promise<T>): Promise<T> {
    const running = insert();
    this.inserting.set(running, Date.now());
    const forget = () => this.inserting.delete(running);
    running.then(forget, forget);
    return running;
  }

  /**
   * Insert rows given as text in `format`, passed through without re-encoding.
   * NOTE: `insert()` only takes object streams for JSON formats, so this is an `exec` of the INSERT
   * with a raw body, which both chdb and a ClickHouse server accept.
   */
  async insertRaw(
    table: string,
    format: 'JSONEachRow' | 'JSONCompactEachRow',
    text: string,
    options: InsertOptions = {},
  ): Promise<void> {
    if (text.length === 0) return;
    const token = options.dedupToken;
    if (token !== undefined && !DEDUP_TOKEN.test(token)) throw new Error(`bad deduplication token ${token}`);
    const settings = token === undefined ? '' : ` SETTINGS insert_deduplication_token = '${token}'`;
    const client = this.ingestClients[this.nextIngest++ % this.ingestClients.length]!;
    await this.tracked(() =>
      this.limiter.run(async () => {
        const result = await client.exec({
          query: `INSERT INTO ${table}${settings} FORMAT ${format}`,
          values: Readable.from([text], { objectMode: false }),
        });
        result.stream.resume();
      }),
    );
  }

  /** Run a query with bound parameters and return its rows. */
  async query<T = Record<string, unknown>>(sql: string, params: QueryParams = {}): Promise<T[]> {
    return this.reads.run(async () => {
      const result = await this.limiter.run(() =>
        this.readClient.query({ query: sql, query_params: params, format: 'JSONEachRow' }),
      );
      return result.json<T>();
    });
  }

  /** Run a statement that returns no rows (DDL, ALTER). */
  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.reads.run(() => this.limiter.run(() => this.readClient.command({ query: sql, query_params: params })));
  }

  /**
   * A short query on the probe client, outside the cap on calls in flight, so that it does not wait
   * for reports or compaction. NOTE: chdb runs every parameterized statement of the process one at
   * a time (research/storage-spike.md §4), so a lookup with parameters still waits for the one
   * statement running; a ping has none and does not.
   */
  async lookup<T = Record<string, unknown>>(sql: string, params: QueryParams = {}): Promise<T[]> {
    const result = await this.probeClient.query({ query: sql, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }

  /** Whether the engine answers within `timeoutMs`. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const answer = this.lookup('SELECT 1 AS ok').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    for (const client of [...this.ingestClients, this.readClient, this.probeClient]) await client.close();
    this.engine?.close();
  }
}

// NOTE: chdb locks its directory; the real reason ("Cannot lock file …/status") is only on stderr.
const cannotOpen = (dir: string, error: unknown) =>
  new StoreUnavailableError(
    `Cannot open the event store at ${dir}: is another Miniscope already running on this data directory? (${(error as Error).message})`,
  );

interface ClientFactory {
  make: () => ClickHouseClient;
  engine?: { close(): void };
}

async function clientFactory(options: StoreOptions): Promise<ClientFactory> {
  if (options.url) {
    const url = options.url;
    return { make: () => createClient({ url, clickhouse_settings: CLIENT_SETTINGS, request_timeout: 60_000 }) };
  }
  const dir = path.join(options.dataDir, 'clickhouse');
  fs.mkdirSync(dir, { recursive: true });
  const { createChdbConnection } = await import('chdb/connection');
  const { Session } = await import('chdb');
  // NOTE: server settings can only be given when the engine starts, i.e. to the first session on
  // the path; the clients' sessions below share that engine.
  let engine: { close(): void };
  try {
    engine = new Session(dir, { connectionArgs: embeddedEngineArgs(options.memoryLimitMb) });
  } catch (error) {
    throw cannotOpen(dir, error);
  }
  const make = () => {
    try {
      // NOTE: chdb types against its own copy of @clickhouse/client-common; the shapes are the same.
      const connection = createChdbConnection({ path: dir }) as unknown as ClientConnection;
      return createClient({ connection, clickhouse_settings: CLIENT_SETTINGS });
    } catch (error) {
      throw cannotOpen(dir, error);
    }
  };
  return { make, engine };
}
