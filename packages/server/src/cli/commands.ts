/**
 * What a command is to the command line: its words, the flags it takes and its help. main.ts finds
 * the command, checks its flags and prints the help from these, so the help and the parser cannot
 * disagree.
 */
import type { Config } from '../config.js';
import type { FlagSpec } from './args.js';

export interface CommandSpec {
  /** `['app', 'add']`. */
  words: string[];
  /** One line for the list of commands. */
  summary: string;
  /** The flags after the command words, for the usage line. */
  usage: string;
  /** A paragraph for the command's own help. */
  about?: string;
  flags: Record<string, FlagSpec>;
  run(config: Config, flags: Record<string, string>): Promise<number>;
}

/** Settings every command takes (the rest: `miniscope --help` and docs/configuration.md). */
const SETTINGS_HELP = `Settings (every command; flags win over the environment):
  --data-dir <dir>         MINISCOPE_DATA_DIR: events and metadata (default: data/ in the Miniscope folder)
  --clickhouse-url <url>   CLICKHOUSE_URL: a ClickHouse server instead of the embedded store
  --time-zone <zone>       MINISCOPE_TIME_ZONE (default Asia/Shanghai; fixed once data exists)
  --port, --host, --trust-proxy, --log-level and the rest: docs/configuration.md`;

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(1, width - text.length));

export function globalHelp(commands: readonly CommandSpec[]): string {
  const rows = commands.map((c) => [c.words.join(' '), c.summary] as const);
  const width = Math.max(...rows.map(([w]) => w.length)) + 3;
  return `Usage: miniscope <command> [flags]

Commands:
${rows.map(([w, s]) => `  ${pad(w, width)}${s}`).join('\n')}
  ${pad('help [command]', width)}this help, or a command's (also: miniscope <command> --help)

${SETTINGS_HELP}`;
}

/** The help of a group (`miniscope app --help`): its commands. */
export function groupHelp(group: string, commands: readonly CommandSpec[]): string {
  const mine = commands.filter((c) => c.words[0] === group);
  return `Usage: miniscope ${group} <command> [flags]

${mine.map((c) => `  miniscope ${c.words.join(' ')} ${c.usage}\n      ${c.summary}`).join('\n')}

Run \`miniscope ${group} <command> --help\` for a command's flags.`;
}

export function commandHelp(command: CommandSpec): string {
  const rows = Object.entries(command.flags).map(([name, f]) => [`--${name}${f.arg ? ` ${f.arg}` : ''}`, f.help]);
  const width = Math.max(0, ...rows.map(([w]) => w!.length)) + 3;
  const flags = rows.length ? `\nFlags:\n${rows.map(([w, h]) => `  ${pad(w!, width)}${h}`).join('\n')}\n` : '';
  return (
    `Usage: miniscope ${command.words.join(' ')} ${command.usage}`.trimEnd() +
    `\n\n${command.summary}${command.about ? `\n\n${command.about}` : ''}\n${flags}\n${SETTINGS_HELP}`
  );
}
