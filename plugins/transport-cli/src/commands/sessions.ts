import { defineCommand } from 'citty';
import { renderTable } from '../render/table.js';
import { clip, count, runAdmin, when, wholeNumber } from './format.js';
import { connectArgs, jsonArg, printJson, scopeArgs, scopeOf, type AnyCommand, type CliContext } from './shared.js';

/** A session as the API answers it. */
interface Session {
  id: string;
  status: 'active' | 'archived' | 'deleted';
  title: string | null;
  started_at: string;
  ended_at: string | null;
}

/** `--status` values (mutable, as citty's enum type wants). */
const STATUSES = ['active', 'archived', 'deleted', 'all'];

const common = { ...scopeArgs, ...jsonArg, ...connectArgs } as const;

function listCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'list', description: "List a user's sessions with a bot, newest first" },
    args: {
      status: { type: 'enum', options: STATUSES, description: 'Only sessions with this status (default: active and archived)' },
      limit: { type: 'string', description: 'How many, newest first (1-200, default 20)', valueHint: 'N' },
      ...common,
    },
    async run({ args }) {
      await runAdmin(
        ctx,
        'sessions list',
        args,
        (values) => wholeNumber('limit', values.limit, 1, 200),
        async (limit, api, terminal) => {
          const page = await api.get<{ data: Session[]; has_more?: boolean }>('/v1/sessions', { ...scopeOf(args), ...(args.status ? { status: args.status } : {}), ...(limit ? { limit } : {}) });
          if (args.json) return printJson(terminal, page.data);
          if (page.data.length === 0) return terminal.out('no sessions');
          const { style } = terminal;
          const rows = page.data.map((s) => [s.id, s.status === 'active' ? style.green(s.status) : s.status, when(s.started_at), when(s.ended_at), clip(s.title ?? '', 80) || style.dim('(untitled)')]);
          terminal.out(renderTable(['ID', 'STATUS', 'STARTED', 'ENDED', 'TITLE'], rows, { style, maxWidth: terminal.tableWidth, keep: [0] }));
          if (page.has_more) terminal.err(terminal.errStyle.dim('older sessions are not shown: raise --limit (up to 200) to see them'));
        },
      );
    },
  });
}

function newCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'new', description: 'Start a new session, as /new does: the active one is summarized and archived' },
    args: { title: { type: 'positional', required: false, description: 'Title of the new session (several words are joined; default: from its first message)', valueHint: 'TITLE' }, ...common },
    async run({ args }) {
      await runAdmin(
        ctx,
        'sessions new',
        args,
        (values) => values._.join(' ').trim(),
        async (title, api, terminal) => {
          const made = await api.post<Session & { archived_session_id: string | null; summary_ids: string[] }>('/v1/sessions', { ...scopeOf(args), ...(title ? { title } : {}) });
          if (args.json) return printJson(terminal, made);
          terminal.out(`started session ${made.id}${made.title ? ` "${made.title}"` : ''} (active)`);
          if (made.archived_session_id) {
            const summaries = made.summary_ids.length > 0 ? `, kept ${count(made.summary_ids.length, 'summary', 'summaries')} of it` : '';
            terminal.out(`archived session ${made.archived_session_id}${summaries}`);
          }
        },
      );
    },
  });
}

/** `llm-bawt sessions list|new`. @public */
export function sessionsCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'sessions', description: "A user's sessions (threads) with a bot: list, new" },
    subCommands: { list: listCommand(ctx), new: newCommand(ctx) },
  });
}
