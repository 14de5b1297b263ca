/**
 * Command-line flags, checked against what the command takes: a flag no one takes is refused by
 * name (a typo such as `--prot 3203` must not start the server on the default port). Value flags
 * take `--name value` or `--name=value` and refuse to go without; switches take no value, so `--json`
 * never swallows the next word. A setting given bare reads as `true` (`--trust-proxy`); config.ts
 * then checks every setting's value.
 */

export type FlagKind = 'value' | 'switch' | 'setting';

export interface FlagSpec {
  kind: FlagKind;
  /** What the value is, for the help: `<wx…>`. */
  arg?: string;
  help: string;
}

/** Wrong use of the command line; the caller prints it with the command's help hint (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedFlags {
  flags: Record<string, string>;
  /** Words that are not flags or their values. */
  words: string[];
  help: boolean;
}

/** Split `argv` by the flags `known` (name → kind); throws UsageError naming an unknown flag. */
export function parseFlags(argv: readonly string[], known: ReadonlyMap<string, FlagKind>): ParsedFlags {
  const flags: Record<string, string> = {};
  const words: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') help = true;
    else if (!arg.startsWith('-') || arg === '-') words.push(arg);
    else i = readFlag(argv, i, known, flags);
  }
  return { flags, words, help };
}

/** Reads the flag at `argv[i]`, and its value, into `flags`; returns the index of the last word it took. */
function readFlag(
  argv: readonly string[],
  i: number,
  known: ReadonlyMap<string, FlagKind>,
  flags: Record<string, string>,
): number {
  const arg = argv[i]!;
  const eq = arg.indexOf('=');
  const end = eq > 0 ? eq : undefined;
  const name = arg.slice(arg.startsWith('--') ? 2 : 1, end);
  // Only long flags are taken: `-p` is refused, not read as `--p`.
  const kind = arg.startsWith('--') ? known.get(name) : undefined;
  if (!kind) throw new UsageError(unknownFlag(arg.slice(0, end), name, known));
  if (eq > 0) {
    flags[name] = arg.slice(eq + 1);
    return i;
  }
  const next = argv[i + 1];
  if (kind !== 'switch' && next !== undefined && !next.startsWith('--')) {
    flags[name] = next;
    return i + 1;
  }
  if (kind === 'value') throw new UsageError(`--${name} needs a value`);
  flags[name] = 'true';
  return i;
}

function unknownFlag(given: string, name: string, known: ReadonlyMap<string, FlagKind>): string {
  const near = [...known.keys()]
    .map((k) => ({ k, d: distance(k, name) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return `unknown flag ${given}${near ? ` (did you mean --${near.k}?)` : ''}`;
}

/** Edit distance (insert, delete, replace, swap of neighbours): `prot` is 1 from `port`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
