import { stripVTControlCharacters } from 'node:util';
import { renderUsage, runCommand, type ArgDef, type ArgsDef, type CommandDef } from 'citty';

type Resolvable<T> = T | Promise<T> | (() => T) | (() => Promise<T>);

async function resolveValue<T>(value: Resolvable<T> | undefined): Promise<T | undefined> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : await value;
}

/** What a command line asks for, found before anything runs. */
export interface Parsed {
  /** The command and its parents, outermost first. */
  chain: CommandDef[];
  /** Their names, e.g. ['llm-bawt', 'db', 'status']. */
  names: string[];
  help: boolean;
  version: boolean;
  /** Why the command line is wrong; undefined when it is fine. */
  problem?: string;
  /** The command is a group and no subcommand was given (its usage is the best answer). */
  incomplete?: boolean;
}

/** The subcommands of a command, each loaded only when asked for (they may be lazy imports). */
async function subCommandsOf(cmd: CommandDef): Promise<Record<string, Resolvable<CommandDef>>> {
  return ((await resolveValue(cmd.subCommands)) ?? {}) as Record<string, Resolvable<CommandDef>>;
}

function findFlag(args: ArgsDef, name: string): ArgDef | undefined {
  for (const [key, def] of Object.entries(args)) {
    if (def.type === 'positional') continue;
    const aliases = 'alias' in def ? [def.alias ?? []].flat() : [];
    if (key === name || aliases.includes(name)) return def;
  }
  return undefined;
}

/**
 * Checks a command line against the command tree: unknown commands and flags, flags without
 * their value, values outside an enum, stray arguments. citty itself ignores unknown flags.
 */
export async function parseCommandLine(main: CommandDef, argv: readonly string[]): Promise<Parsed> {
  const parsed: Parsed = { chain: [main], names: [(await resolveValue(main.meta))?.name ?? 'llm-bawt'], help: false, version: false };
  let cmd = main;
  let args = (await resolveValue(cmd.args)) ?? {};
  let subs = await subCommandsOf(cmd);
  const where = () => parsed.names.join(' ');
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') break;
    if (token === '--help' || token === '-h') {
      parsed.help = true;
      continue;
    }
    if ((token === '--version' || token === '-v') && parsed.chain.length === 1) {
      parsed.version = true;
      continue;
    }
    if (token.startsWith('-') && token.length > 1 && !/^-\d/.test(token)) {
      const [rawName, inline] = token.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
      const negated = rawName.startsWith('no-') ? rawName.slice(3) : undefined;
      let def = findFlag(args, rawName);
      if (!def && negated) def = findFlag(args, negated);
      if (!def || (negated && def.type !== 'boolean' && !findFlag(args, rawName))) {
        parsed.problem = `unknown option '${token.split('=')[0]}' for '${where()}'`;
        return parsed;
      }
      if (def.type === 'string' || def.type === 'enum') {
        const value = inline ?? argv[++i];
        if (value === undefined) {
          parsed.problem = `option '${token}' of '${where()}' needs a value${def.valueHint ? ` (${def.valueHint})` : ''}`;
          return parsed;
        }
        if (def.type === 'enum' && def.options && !def.options.includes(value)) {
          parsed.problem = `option '${token.split('=')[0]}' of '${where()}' must be one of ${def.options.join(', ')} (got '${value}')`;
          return parsed;
        }
      }
      continue;
    }
    if (Object.keys(subs).length > 0 && parsed.chain.length === parsed.names.length) {
      const sub = Object.hasOwn(subs, token) ? await resolveValue(subs[token]) : undefined;
      if (!sub) {
        const known = Object.keys(subs);
        parsed.problem = `unknown command '${token}' for '${where()}' (commands: ${known.join(', ')})`;
        return parsed;
      }
      cmd = sub;
      parsed.chain.push(cmd);
      parsed.names.push(token);
      args = (await resolveValue(cmd.args)) ?? {};
      subs = await subCommandsOf(cmd);
      continue;
    }
    if (!Object.values(args).some((def) => def.type === 'positional')) {
      parsed.problem = `unexpected argument '${token}' for '${where()}'`;
      return parsed;
    }
  }
  if (!parsed.help && !parsed.version && Object.keys(subs).length > 0 && !cmd.run) {
    const known = Object.keys(subs);
    parsed.problem = `'${where()}' needs a command: ${known.join(', ')}`;
    parsed.incomplete = true;
  }
  return parsed;
}

export interface RunOptions {
  argv: readonly string[];
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour in the help text. */
  color: boolean;
}

/**
 * Runs the command line: `--help` anywhere prints that command's usage (exit 0), a wrong
 * command line says what is wrong and where to look (exit 2), anything else runs. Returns the
 * exit code for the caller; commands that end the process themselves still do.
 */
export async function runCommandLine(main: CommandDef, options: RunOptions): Promise<number> {
  const parsed = await parseCommandLine(main, options.argv);
  const plain = (text: string) => (options.color ? text : stripVTControlCharacters(text));
  if (parsed.version && !parsed.problem) {
    options.out(`${(await resolveValue(main.meta))?.version ?? ''}`);
    return 0;
  }
  const usage = async () => {
    const cmd = parsed.chain.at(-1) as CommandDef;
    // citty names only the direct parent; the usage line should read `llm-bawt db status`.
    const parent = parsed.chain.length > 1 ? { meta: { name: parsed.names.slice(0, -1).join(' ') } } : undefined;
    return plain(await renderUsage(cmd, parent));
  };
  if (parsed.help) {
    options.out(await usage());
    return 0;
  }
  if (parsed.incomplete) {
    // `llm-bawt` or `llm-bawt memory` alone: what the group offers, then why it did nothing.
    options.err(await usage());
    options.err(`${parsed.names[0]}: ${parsed.problem}`);
    return 2;
  }
  if (parsed.problem) {
    options.err(`${parsed.names[0]}: ${parsed.problem}`);
    options.err(`Run '${parsed.names.join(' ')} --help' for usage.`);
    return 2;
  }
  await runCommand(main, { rawArgs: [...options.argv] });
  return 0;
}
