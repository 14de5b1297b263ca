/**
 * Configuration, read once at start from the environment and `--flags` (flags win), validated with
 * zod. A bad value stops the start with a message that names the variable and the flag.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The default data directory: `data/` in the Miniscope folder, not in the current directory, so
 * `npx miniscope …` run from anywhere in the checkout uses the data the server uses.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../data', import.meta.url));

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    // Only IANA names with letters, '/', '_', '+', '-': the zone is written into SQL column types.
    return /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz);
  } catch {
    return false;
  }
};

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Each setting: its environment variable, its flag, and its schema with the default. */
const settings = {
  port: { env: 'PORT', flag: 'port', schema: z.coerce.number().int().min(0).max(65535).default(3000) },
  host: { env: 'HOST', flag: 'host', schema: z.string().min(1).default('0.0.0.0') },
  dataDir: { env: 'MINISCOPE_DATA_DIR', flag: 'data-dir', schema: z.string().min(1).default(DEFAULT_DATA_DIR) },
  clickhouseUrl: {
    env: 'CLICKHOUSE_URL',
    flag: 'clickhouse-url',
    schema: z.url({ protocol: /^https?$/ }).optional(),
  },
  timeZone: {
    env: 'MINISCOPE_TIME_ZONE',
    flag: 'time-zone',
    schema: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
  },
  trustProxy: { env: 'MINISCOPE_TRUST_PROXY', flag: 'trust-proxy', schema: bool.default(false) },
  fsync: { env: 'MINISCOPE_FSYNC', flag: 'fsync', schema: bool.default(false) },
  compactEverySeconds: {
    env: 'MINISCOPE_COMPACT_EVERY_S',
    flag: 'compact-every',
    schema: z.coerce.number().int().min(0).max(86400).default(60),
  },
  lateDataDays: {
    env: 'MINISCOPE_LATE_DATA_DAYS',
    flag: 'late-data-days',
    schema: z.coerce.number().int().min(1).max(3650).default(90),
  },
  flushRows: {
    env: 'MINISCOPE_FLUSH_ROWS',
    flag: 'flush-rows',
    // Large inserts: at ~30k rows the engine spends half the CPU per event it spends at 10k
    // (fewer parts to write, merge and roll up). BENCHMARKS.md.
    schema: z.coerce.number().int().min(1).max(200000).default(50000),
  },
  flushMs: {
    env: 'MINISCOPE_FLUSH_MS',
    flag: 'flush-ms',
    schema: z.coerce.number().int().min(0).max(10000).default(300),
  },
  maxPendingRows: {
    env: 'MINISCOPE_MAX_PENDING_ROWS',
    flag: 'max-pending-rows',
    schema: z.coerce.number().int().min(1).max(10_000_000).default(200_000),
  },
  maxWaitMs: {
    env: 'MINISCOPE_MAX_WAIT_MS',
    flag: 'max-wait-ms',
    // Refuse new batches (503, Retry-After) while the oldest unanswered one has waited this long:
    // answers stay prompt under overload, and senders come back later (collector.ts).
    schema: z.coerce.number().int().min(0).max(600_000).default(5000),
  },
  engineMemoryMb: {
    env: 'MINISCOPE_ENGINE_MEMORY_MB',
    flag: 'engine-memory-mb',
    // The embedded engine's ceiling (store.ts): half the RAM, at most 4 GB; 0 = the engine's 90 %.
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(1_048_576)
      .default(() => Math.min(4096, Math.floor(os.totalmem() / 1048576 / 2))),
  },
  logLevel: {
    env: 'MINISCOPE_LOG_LEVEL',
    flag: 'log-level',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  },
  memberCap: {
    env: 'MINISCOPE_MEMBER_CAP',
    flag: 'member-cap',
    schema: z.coerce.number().int().min(1).max(10000).default(90),
  },
  viewerCap: {
    env: 'MINISCOPE_VIEWER_CAP',
    flag: 'viewer-cap',
    schema: z.coerce.number().int().min(1).max(10000).default(20),
  },
  notifyWebhookUrl: {
    env: 'MINISCOPE_NOTIFY_WEBHOOK_URL',
    flag: 'notify-webhook-url',
    schema: z.url({ protocol: /^https?$/ }).optional(),
  },
  sessionTtlHours: {
    env: 'MINISCOPE_SESSION_TTL_HOURS',
    flag: 'session-ttl-hours',
    schema: z.coerce
      .number()
      .min(0.01)
      .max(24 * 365)
      .default(168),
  },
} as const;

type Settings = typeof settings;

/** Every setting's flag, for the command line to tell settings from unknown flags. */
export const SETTING_FLAGS: readonly string[] = Object.values(settings).map((s) => s.flag);
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

export class ConfigError extends Error {}

/** Split `--name value` / `--name=value` flags from other arguments. */
export function parseFlags(argv: string[]): { flags: Record<string, string>; rest: string[] } {
  const flags: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags[arg.slice(2)] = argv[++i]!;
    else flags[arg.slice(2)] = 'true';
  }
  return { flags, rest };
}

/** Build the configuration; throws ConfigError naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: Record<string, string> = {}): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, s] of Object.entries(settings)) {
    const raw = flags[s.flag] ?? env[s.env];
    const parsed = s.schema.safeParse(raw === '' ? undefined : raw);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(`${s.env} (--${s.flag}) = ${JSON.stringify(raw)}: ${parsed.error.issues[0]?.message}`);
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  const config = out as Config;
  return { ...config, dataDir: path.resolve(config.dataDir) };
}
