/**
 * The `miniscope` command line (main.ts runs it; tests call it in-process): finds the command, refuses flags it does not take, prints help
 * (`--help`, `-h`, `help [command]`: exit 0), resolves the data directory one way for every command
 * and says which it is, then runs the command. Configuration comes from the environment and the
 * setting flags (config.ts).
 */
import fs from 'node:fs';
import { type Config, loadConfig, SETTING_FLAGS } from '../config.js';
import { appCommands } from './app-command.js';
import { type FlagKind, parseFlags, UsageError } from './args.js';
import { backupCommands } from './backup-command.js';
import { type CommandSpec, commandHelp, globalHelp, groupHelp } from './commands.js';
import { demoCommands } from './demo-command.js';
import { report } from './errors.js';
import { startCommands } from './start-command.js';
import { userCommands } from './user-command.js';

const COMMANDS: CommandSpec[] = [...startCommands, ...demoCommands, ...appCommands, ...userCommands, ...backupCommands];
const GROUPS = new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!));

/** The command whose words begin `words`, or the group the first word names. */
function find(words: string[]): { command?: CommandSpec; group?: string } {
  const command = COMMANDS.find((c) => c.words.every((w, i) => words[i] === w));
  if (command) return { command };
  return words[0] && GROUPS.has(words[0]) ? { group: words[0] } : {};
}

function flagKinds(command: CommandSpec | undefined): Map<string, FlagKind> {
  const kinds = new Map<string, FlagKind>(SETTING_FLAGS.map((f) => [f, 'setting']));
  for (const [name, spec] of Object.entries(command?.flags ?? {})) kinds.set(name, spec.kind);
  return kinds;
}

/** Every command says which data directory it works on, and whether nothing is there yet. */
function announce(config: Config): void {
  const fresh = !fs.existsSync(config.dataDir);
  console.error(`Data directory: ${config.dataDir}${fresh ? ' (new: nothing is stored here yet)' : ''}`);
}

/**
 * The words of the command line, skipping flags and the values of settings (which may come before
 * the command: `miniscope --data-dir /srv/m app list`); each command's own flags are checked later.
 */
function wordsOf(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) words.push(arg);
    else if (SETTING_FLAGS.includes(arg.slice(2)) && !argv[i + 1]?.startsWith('--')) i++;
  }
  return words;
}

/** Run one command line; resolves with the exit code, or -1 for a server that keeps running. */
export async function runCli(argv: string[]): Promise<number> {
  const all = wordsOf(argv);
  const asked = all[0] === 'help';
  const words = asked ? all.slice(1) : all;
  const { command, group } = find(words);
  if (!command) return noCommand(words, group, asked || argv.includes('--help') || argv.includes('-h'));
  // `help app add` is `app add --help`: the word `help` is not one of the command's arguments.
  return runCommand(command, asked ? argv.filter((a) => a !== 'help') : argv, asked);
}

/** The words name no command: the help asked for (exit 0), or what is wrong with the words and the help (exit 2). */
function noCommand(words: string[], group: string | undefined, wantsHelp: boolean): number {
  const help = group ? groupHelp(group, COMMANDS) : globalHelp(COMMANDS);
  // a group's name is the one word expected; any more name an unknown command
  const named = group ? 1 : 0;
  if (wantsHelp && words.length <= named) {
    console.log(help);
    return 0;
  }
  const what =
    words.length > named ? `unknown command "${words.join(' ')}"` : `${group ? `"${group}" needs` : 'give'} a command`;
  console.error(`miniscope: ${what}\n\n${help}`);
  return 2;
}

/** Checks the command's flags and arguments, prints its help if asked, else loads the configuration and runs it. */
async function runCommand(command: CommandSpec, argv: readonly string[], asked: boolean): Promise<number> {
  let config: Config | undefined;
  try {
    const parsed = parseFlags(argv, flagKinds(command));
    if (parsed.help || asked) {
      console.log(commandHelp(command));
      return 0;
    }
    const extra = parsed.words.slice(command.words.length);
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    config = loadConfig(process.env, parsed.flags);
    announce(config);
    return await command.run(config, parsed.flags);
  } catch (error) {
    return report(error, { dataDir: config?.dataDir, command: command.words.join(' ') });
  }
}
