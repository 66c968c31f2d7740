import { defineCommand } from 'citty';
import type { ApiClient } from '../api.js';
import { CliError, isCliError } from '../errors.js';
import { renderKeyValues, renderTable } from '../render/table.js';
import type { Terminal } from '../terminal.js';
import { applySets, editableOf, editInEditor, patchOf, type Bot } from './bot-edit.js';
import { allPages, clip, missing, repeated, runAdmin, when, yesNo } from './format.js';
import { connectArgs, jsonArg, printJson, type AnyCommand, type CliContext } from './shared.js';

/** The default bot's slug, when the host says (GET /v1/status); lists mark it. */
async function defaultBot(api: ApiClient): Promise<string | undefined> {
  try {
    return (await api.get<{ bots?: { default?: string } }>('/v1/status')).bots?.default;
  } catch (error) {
    if (isCliError(error)) return undefined;
    throw error;
  }
}

function settingsLine(settings: Record<string, unknown> | null): string {
  const entries = Object.entries(settings ?? {});
  if (entries.length === 0) return '—';
  return entries.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ');
}

function printBot(terminal: Terminal, bot: Bot): void {
  const { style } = terminal;
  const plugins = Object.keys(bot.plugins ?? {});
  terminal.out(
    renderKeyValues(
      [
        ['slug', bot.slug],
        ['name', bot.name],
        ['description', bot.description ?? '—'],
        ['default model', bot.default_model ?? '— (the host default)'],
        ['memory', yesNo(bot.requires_memory)],
        ['tools', yesNo(bot.uses_tools)],
        ['search', yesNo(bot.uses_search)],
        ['voice optimized', yesNo(bot.voice_optimized)],
        ['agent backend', bot.agent_backend ?? '—'],
        ['settings', settingsLine(bot.settings)],
        ['plugin config', plugins.length > 0 ? plugins.join(', ') : '—'],
        ['created', when(bot.created_at)],
        ['updated', when(bot.updated_at)],
      ],
      style,
    ),
  );
  terminal.out('');
  terminal.out(style.bold('system prompt'));
  for (const line of bot.system_prompt.split('\n')) terminal.out(`  ${line}`);
}

function listCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'list', description: 'List the bots (the default one is marked)' },
    args: { ...jsonArg, ...connectArgs },
    async run({ args }) {
      await runAdmin(ctx, 'bots list', args, () => undefined, async (_, api, terminal) => {
        const [bots, defaultSlug] = await Promise.all([allPages<Bot>(api, '/v1/bots', { limit: 500 }), defaultBot(api)]);
        if (args.json) return printJson(terminal, bots);
        if (bots.length === 0) return terminal.out('no bots');
        const { style } = terminal;
        const rows = bots.map((bot) => [
          bot.slug === defaultSlug ? `${bot.slug} ${style.dim('(default)')}` : bot.slug,
          bot.name,
          bot.default_model ?? style.dim('—'),
          yesNo(bot.requires_memory),
          yesNo(bot.uses_tools),
          bot.agent_backend ?? style.dim('—'),
          clip(bot.description ?? '', 60),
        ]);
        terminal.out(renderTable(['SLUG', 'NAME', 'MODEL', 'MEMORY', 'TOOLS', 'AGENT', 'DESCRIPTION'], rows, { style, maxWidth: terminal.tableWidth, keep: [0] }));
      });
    },
  });
}

function showCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'show', description: "Show one bot: its settings and system prompt" },
    args: { slug: { type: 'positional', required: false, description: 'The bot', valueHint: 'SLUG' }, ...jsonArg, ...connectArgs },
    async run({ args }) {
      await runAdmin(
        ctx,
        'bots show',
        args,
        (values) => values.slug ?? missing('the bot to show', 'llm-bawt bots show SLUG (llm-bawt bots list names them)'),
        async (slug, api, terminal) => {
          const bot = await api.get<Bot>(`/v1/bots/${encodeURIComponent(slug)}`);
          if (args.json) printJson(terminal, bot);
          else printBot(terminal, bot);
        },
      );
    },
  });
}

function editCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'edit', description: "Edit a bot's fields in $VISUAL/$EDITOR (as YAML), or change some with --set; only what changed is saved" },
    args: {
      slug: { type: 'positional', required: false, description: 'The bot', valueHint: 'SLUG' },
      set: {
        type: 'string',
        description: 'Change one field without an editor; repeatable. VALUE is read as YAML (true, 8000, null, "text"); FIELD may be a path such as settings.color',
        valueHint: 'FIELD=VALUE',
      },
      ...jsonArg,
      ...connectArgs,
    },
    async run({ args, rawArgs }) {
      await runAdmin(
        ctx,
        'bots edit',
        args,
        (values) => ({
          slug: values.slug ?? missing('the bot to edit', 'llm-bawt bots edit SLUG [--set FIELD=VALUE] (llm-bawt bots list names them)'),
          sets: repeated(rawArgs, 'set'),
        }),
        async ({ slug, sets }, api, terminal) => {
          const path = `/v1/bots/${encodeURIComponent(slug)}/profile`;
          const bot = await api.get<Bot>(`/v1/bots/${encodeURIComponent(slug)}`);
          const before = editableOf(bot);
          const edit = sets.length > 0 ? { after: applySets(before, sets) } : await editInEditor(terminal, slug, before);
          if (!edit) {
            if (args.json) printJson(terminal, bot);
            else terminal.out('edit cancelled (empty document): nothing saved');
            return;
          }
          const kept = (error: unknown) =>
            isCliError(error) && edit.file ? new CliError(`${error.message}; nothing was saved (your edit is kept in ${edit.file})`, error.exitCode, error.code) : error;
          let patch: Record<string, unknown>;
          try {
            patch = patchOf(before, edit.after);
          } catch (error) {
            throw kept(error);
          }
          const fields = Object.keys(patch);
          if (fields.length === 0) {
            edit.discard?.();
            if (args.json) printJson(terminal, bot);
            else terminal.out(`no changes to bot ${slug}`);
            return;
          }
          let updated: Bot;
          try {
            updated = await api.patch<Bot>(path, patch);
          } catch (error) {
            throw kept(error);
          }
          edit.discard?.();
          if (args.json) printJson(terminal, updated);
          else terminal.out(`updated bot ${slug}: ${fields.join(', ')}`);
        },
      );
    },
  });
}

/** `llm-bawt bots list|show|edit`. @public */
export function botsCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'bots', description: 'List, show and edit bots' },
    subCommands: { list: listCommand(ctx), show: showCommand(ctx), edit: editCommand(ctx) },
  });
}
