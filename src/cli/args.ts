import { closestMatch, UsageError } from '../usecases/index.js';

export interface OptionSpec {
  /** Long name without dashes, e.g. `file`. */
  name: string;
  short?: string;
  /** Takes a value (`--file x`); otherwise a boolean flag. */
  value?: boolean;
  /** May be given several times (values collected in order). */
  repeat?: boolean;
  description: string;
  /** Shown in help as the value's name. */
  placeholder?: string;
}

/** The words Go's strconv.ParseBool reads, as cobra accepts them after a boolean flag's `=`. */
const BOOLEAN_WORDS: Record<string, boolean> = { '1': true, t: true, T: true, true: true, TRUE: true, True: true, '0': false, f: false, F: false, false: false, FALSE: false, False: false };

export type ParsedOptions = Record<string, string | string[] | boolean | undefined>;

export interface ParsedArgs {
  options: ParsedOptions;
  positionals: string[];
}

/**
 * Parses `argv` against option specs: `--name value`, `--name=value`, `-n value`, `-abc` for
 * boolean short flags, `--` ends options (so does the `stopAfterPositionals`-th positional). Unknown options are usage errors with a suggestion.
 */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], { stopAtPositional = false, stopAfterPositionals = Infinity } = {}): ParsedArgs & { rest: string[] } {
  const options: ParsedOptions = {};
  const positionals: string[] = [];
  const byLong = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(specs.filter((spec) => spec.short).map((spec) => [spec.short!, spec]));
  const set = (spec: OptionSpec, value: string | boolean) => {
    if (spec.repeat) options[spec.name] = [...((options[spec.name] as string[] | undefined) ?? []), value as string];
    else options[spec.name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return { options, positionals, rest: argv.slice(i + 1) };
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const spec = byLong.get(name);
      if (!spec) throw unknownOption(arg, specs);
      if (spec.value) {
        const value = inline ?? argv[++i];
        if (value === undefined) throw new UsageError(`option ${arg} needs a value`);
        set(spec, value);
      } else if (inline === undefined) {
        set(spec, true);
      } else {
        // As cobra takes them (Go's strconv.ParseBool): --detach=true, --orphans=false. An explicit
        // false is kept, for the flags whose default is true (`stack deploy --detach=false`).
        const flag = BOOLEAN_WORDS[inline];
        if (flag === undefined) throw new UsageError(`option --${name} takes no value (or =true, =false)`, { hint: `not "${inline}"` });
        set(spec, flag);
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      const letters = arg.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const spec = byShort.get(letters[j]!);
        if (!spec) throw unknownOption(`-${letters[j]}`, specs);
        if (spec.value) {
          const value = j + 1 < letters.length ? letters.slice(j + 1) : argv[++i];
          if (value === undefined) throw new UsageError(`option -${letters[j]} needs a value`);
          set(spec, value);
          break;
        }
        set(spec, true);
      }
    } else {
      if (stopAtPositional) return { options, positionals, rest: argv.slice(i) };
      positionals.push(arg);
      // `exec web sh -c …`: what follows the service is the command's, options included.
      if (positionals.length >= stopAfterPositionals) return { options, positionals, rest: argv.slice(argv[i + 1] === '--' ? i + 2 : i + 1) };
    }
  }
  return { options, positionals, rest: [] };
}

function unknownOption(arg: string, specs: readonly OptionSpec[]): UsageError {
  const close = closestMatch(arg.replace(/^-+/, ''), specs.map((spec) => spec.name));
  return new UsageError(`unknown option ${arg}`, { hint: close ? `did you mean --${close}?` : 'see --help' });
}

/** Help lines for a list of options, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const left = specs.map((spec) => `${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}${spec.value ? ` ${spec.placeholder ?? 'string'}` : ''}`);
  const width = Math.max(...left.map((text) => text.length)) + 2;
  return specs.map((spec, index) => `  ${left[index]!.padEnd(width)}${spec.description}`).join('\n');
}
