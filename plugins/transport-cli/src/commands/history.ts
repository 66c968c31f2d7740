import { defineCommand } from 'citty';
import { CliError, EXIT } from '../errors.js';
import type { Terminal } from '../terminal.js';
import { clip, count, repeated, runAdmin, when, wholeNumber } from './format.js';
import { connectArgs, jsonArg, printJson, scopeArgs, scopeOf, type AnyCommand, type CliContext } from './shared.js';

/** A stored message as the API answers it. */
interface Message {
  id: string;
  session_id: string | null;
  role: 'user' | 'assistant' | 'system';
  content: string;
  created_at: string;
}

interface MessageList {
  data: Message[];
  has_more?: boolean;
}

/** The most the restore route moves back in one request; `restore` alone asks for all of it. */
const RESTORE_ALL = 10_000;

const common = { ...scopeArgs, ...jsonArg, ...connectArgs } as const;

const ROLE_WIDTH = 'assistant'.length;

function printMessages(terminal: Terminal, messages: Message[]): void {
  const { style } = terminal;
  messages.forEach((message, index) => {
    if (index > 0) terminal.out('');
    const role = message.role === 'user' ? style.cyan(message.role.padEnd(ROLE_WIDTH)) : style.bold(message.role.padEnd(ROLE_WIDTH));
    terminal.out(`${style.dim(when(message.created_at))}  ${role}  ${style.dim(message.id)}`);
    for (const line of message.content.split('\n')) terminal.out(line === '' ? '' : `  ${line}`);
  });
}

/** One line per message: what was forgotten or restored. */
function printBrief(terminal: Terminal, verb: string, messages: Message[]): void {
  terminal.out(`${verb} ${count(messages.length, 'message')}`);
  const { style } = terminal;
  for (const m of messages) terminal.out(`  ${style.dim(when(m.created_at))}  ${m.role.padEnd(ROLE_WIDTH)}  ${clip(m.content, terminal.width - 33)}`);
}

function showCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'show', description: 'Show the newest messages of a user with a bot, oldest first' },
    args: {
      limit: { type: 'string', description: 'How many of the newest messages (1-500, default 50)', valueHint: 'N' },
      session: { type: 'string', description: 'Only this session (default: every session)', valueHint: 'ID' },
      ...common,
    },
    async run({ args }) {
      await runAdmin(
        ctx,
        'history show',
        args,
        (values) => wholeNumber('limit', values.limit, 1, 500),
        async (limit, api, terminal) => {
          const page = await api.get<MessageList>('/v1/history', { ...scopeOf(args), ...(limit ? { limit } : {}), ...(args.session ? { session_id: args.session } : {}) });
          if (args.json) return printJson(terminal, page.data);
          if (page.data.length === 0) return terminal.out('no messages');
          printMessages(terminal, page.data);
          if (page.has_more) terminal.err(terminal.errStyle.dim('older messages are not shown: raise --limit (up to 500) to see them'));
        },
      );
    },
  });
}

function forgetCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'forget', description: 'Forget messages (reversible with restore): the last N, the last N minutes, or by id' },
    args: {
      last: { type: 'string', description: 'Forget the last N messages', valueHint: 'N' },
      minutes: { type: 'string', description: 'Forget the messages of the last N minutes', valueHint: 'N' },
      id: { type: 'string', description: 'Forget this message (repeatable)', valueHint: 'ID' },
      session: { type: 'string', description: 'With --last or --minutes: only in this session', valueHint: 'ID' },
      ...common,
    },
    async run({ args, rawArgs }) {
      await runAdmin(
        ctx,
        'history forget',
        args,
        (values) => {
          const last = wholeNumber('last', values.last, 1, 10_000);
          const minutes = wholeNumber('minutes', values.minutes, 1, 525_600);
          const ids = repeated(rawArgs, 'id');
          const given = [last !== undefined, minutes !== undefined, ids.length > 0].filter(Boolean).length;
          if (given !== 1) throw new CliError('say what to forget with exactly one of --last N, --minutes N or --id ID (e.g. llm-bawt history forget --last 2)', EXIT.usage);
          if (ids.length > 0 && values.session) throw new CliError('--session goes with --last or --minutes, not --id', EXIT.usage);
          return {
            ...(last !== undefined ? { last } : {}),
            ...(minutes !== undefined ? { minutes } : {}),
            ...(ids.length > 0 ? { ids } : {}),
            ...(values.session ? { session_id: values.session } : {}),
          };
        },
        async (what, api, terminal) => {
          const { data } = await api.post<MessageList>('/v1/history/forget', { ...scopeOf(args), ...what });
          if (args.json) return printJson(terminal, data);
          printBrief(terminal, 'forgot', data);
          if (data.length > 0) terminal.err(terminal.errStyle.dim(`undo with: llm-bawt history restore --last ${data.length}`));
        },
      );
    },
  });
}

function restoreCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'restore', description: 'Bring forgotten messages back: the last N forgotten, by id, or (alone) all of them' },
    args: {
      last: { type: 'string', description: 'Restore the last N forgotten messages', valueHint: 'N' },
      id: { type: 'string', description: 'Restore this message (repeatable)', valueHint: 'ID' },
      ...common,
    },
    async run({ args, rawArgs }) {
      await runAdmin(
        ctx,
        'history restore',
        args,
        (values) => {
          const last = wholeNumber('last', values.last, 1, 10_000);
          const ids = repeated(rawArgs, 'id');
          if (last !== undefined && ids.length > 0) throw new CliError('give --last N or --id ID, not both', EXIT.usage);
          return ids.length > 0 ? { ids } : { last: last ?? RESTORE_ALL };
        },
        async (what, api, terminal) => {
          const { data } = await api.post<MessageList>('/v1/history/restore', { ...scopeOf(args), ...what });
          if (args.json) return printJson(terminal, data);
          printBrief(terminal, 'restored', data);
        },
      );
    },
  });
}

/** `llm-bawt history show|forget|restore`. @public */
export function historyCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'history', description: "A user's conversation history with a bot: show, forget, restore" },
    subCommands: { show: showCommand(ctx), forget: forgetCommand(ctx), restore: restoreCommand(ctx) },
  });
}
