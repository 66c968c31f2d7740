import * as v from 'valibot';
import { coreRefs, createError, type ToolContext } from '@llm-bawt/sdk';
import { databaseOf, storeRef } from '@llm-bawt/plugin-store-postgres';
import { transportMcpRef } from '../refs.js';
import { historyRef, semanticRef, summariesRef } from '../services.js';
import { DESTROY, fraction, mcpTool, READ, scopeOf } from './define.js';
import { maybe } from './optional.js';

/**
 * Row counts per table for one bot and user. The tables are DESIGN §7's shared data model;
 * a table whose plugin is not loaded (or never migrated) is reported as null.
 */
const COUNTS: { key: string; table: string; sql: string; params: (botId: string, userId: string) => unknown[] }[] = [
  { key: 'messages', table: 'messages', sql: 'SELECT count(*)::int AS n FROM messages WHERE bot_id = ? AND user_id = ?', params: (b, u) => [b, u] },
  { key: 'forgotten_messages', table: 'forgotten_messages', sql: 'SELECT count(*)::int AS n FROM forgotten_messages WHERE bot_id = ? AND user_id = ?', params: (b, u) => [b, u] },
  { key: 'memories_active', table: 'memories', sql: 'SELECT count(*)::int AS n FROM memories WHERE bot_id = ? AND user_id = ? AND superseded_at IS NULL', params: (b, u) => [b, u] },
  { key: 'memories_retired', table: 'memories', sql: 'SELECT count(*)::int AS n FROM memories WHERE bot_id = ? AND user_id = ? AND superseded_at IS NOT NULL', params: (b, u) => [b, u] },
  { key: 'summaries', table: 'summaries', sql: 'SELECT count(*)::int AS n FROM summaries WHERE bot_id = ? AND user_id = ?', params: (b, u) => [b, u] },
  { key: 'sessions', table: 'sessions', sql: "SELECT count(*)::int AS n FROM sessions WHERE bot_id = ? AND user_id = ? AND status <> 'deleted'", params: (b, u) => [b, u] },
  {
    key: 'profile_attributes',
    table: 'profile_attributes',
    sql: "SELECT count(*)::int AS n FROM profile_attributes WHERE bot_id = ? AND entity_type = 'user' AND entity_id = ?",
    params: (b, u) => [b, u],
  },
  { key: 'bot_traits', table: 'profile_attributes', sql: "SELECT count(*)::int AS n FROM profile_attributes WHERE bot_id = ? AND entity_type = 'bot'", params: (b) => [b] },
  { key: 'tasks_open', table: 'tasks', sql: "SELECT count(*)::int AS n FROM tasks WHERE user_id = ? AND status NOT IN ('done', 'cancelled')", params: (_b, u) => [u] },
  { key: 'tasks_total', table: 'tasks', sql: 'SELECT count(*)::int AS n FROM tasks WHERE user_id = ?', params: (_b, u) => [u] },
  { key: 'projects', table: 'projects', sql: 'SELECT count(*)::int AS n FROM projects WHERE user_id = ?', params: (_b, u) => [u] },
  {
    key: 'bot_messages',
    table: 'bot_messages',
    sql: 'SELECT count(*)::int AS n FROM bot_messages WHERE user_id = ? AND (sender_bot_id = ? OR target_bot_id = ?)',
    params: (b, u) => [u, b, b],
  },
];

async function stats(ctx: ToolContext): Promise<Record<string, number | null>> {
  const sql = databaseOf(ctx.get(storeRef)).sql();
  const tables = COUNTS.map((c) => c.table).filter((t, i, all) => all.indexOf(t) === i);
  const present = new Set(
    (await sql.all<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN (${tables.map(() => '?').join(', ')})`, tables)).map(
      (r) => r.name,
    ),
  );
  const out: Record<string, number | null> = {};
  for (const count of COUNTS) {
    out[count.key] = present.has(count.table) ? ((await sql.one<{ n: number }>(count.sql, count.params(ctx.bot.slug, ctx.userId)))?.n ?? 0) : null;
  }
  return out;
}

export const systemTools = [
  mcpTool('system', [storeRef], {
    name: 'system_stats',
    description: 'How much the host stores for this bot and user: messages, memories, summaries, sessions, profile attributes, tasks, deliveries (null: that layer is not loaded).',
    input: v.object({}),
    annotations: READ,
    async run(_input, ctx) {
      return { bot_id: ctx.bot.slug, user_id: ctx.userId, counts: await stats(ctx), embedder: maybe(ctx, semanticRef)?.embedderId ?? null };
    },
  }),
  mcpTool(
    'system',
    [],
    {
      name: 'system_run_maintenance',
      description:
        'A maintenance pass for this bot and user: consolidate near-duplicate memories, retire decayed ones, embed memories that lack vectors, summarize what fell out of the history budget. dry_run (the default) only reports.',
      input: v.object({
        run_consolidation: v.optional(v.boolean(), true),
        run_decay_pruning: v.optional(v.boolean(), true),
        run_embeddings: v.optional(v.boolean(), true),
        run_summaries: v.optional(v.boolean(), false),
        decay_threshold: v.optional(fraction),
        dry_run: v.optional(v.boolean(), true),
      }),
      annotations: DESTROY,
      async run(input, ctx) {
        const scope = scopeOf(ctx);
        const semantic = maybe(ctx, semanticRef);
        const report: Record<string, unknown> = { dry_run: input.dry_run };
        if (input.run_consolidation) {
          if (!semantic) report.consolidation = 'skipped: memory-semantic is not loaded';
          else {
            const result = await semantic.consolidate(scope, { dryRun: input.dry_run });
            report.consolidation = { considered: result.considered, clusters: result.clusters.length, merged_ids: result.clusters.flatMap((c) => (c.mergedId ? [c.mergedId] : [])) };
          }
        }
        if (input.run_decay_pruning) {
          if (!semantic) report.decay = 'skipped: memory-semantic is not loaded';
          else {
            const result = await semantic.decay(scope, { dryRun: input.dry_run, ...(input.decay_threshold !== undefined ? { threshold: input.decay_threshold } : {}) });
            report.decay = { threshold: result.threshold, retired: result.retired.map((m) => ({ id: m.id, content: m.content, value: Math.round(m.value * 1000) / 1000 })) };
          }
        }
        if (input.run_embeddings) {
          if (!semantic?.embedderId) report.embeddings = 'skipped: no embedder is loaded';
          else report.embeddings = input.dry_run ? 'skipped in a dry run' : await semantic.regenerateEmbeddings(scope, { signal: ctx.signal });
        }
        if (input.run_summaries) {
          const summaries = maybe(ctx, summariesRef);
          if (!summaries) report.summaries = 'skipped: memory-summaries is not loaded';
          else if (input.dry_run) report.summaries = { unsummarized_tokens: (await maybe(ctx, historyRef)?.unsummarizedTokens(scope)) ?? null };
          else report.summaries = { written: (await summaries.summarize(scope, { signal: ctx.signal })).map((s) => s.id) };
        }
        return report;
      },
    },
    { memory: true },
  ),
  mcpTool('system', [], {
    name: 'system_info',
    description: 'What this host runs: its plugins, bots, model aliases (and whether each can answer now) and the MCP tool families served.',
    input: v.object({}),
    annotations: READ,
    run(_input, ctx) {
      const host = ctx.get(coreRefs.host);
      const models = ctx.get(coreRefs.models);
      const state = maybe(ctx, transportMcpRef);
      if (!state) throw createError('LLMB_ERR_NOT_READY', 'the MCP server is not set up');
      return {
        plugins: host.plugins().map((p) => ({ id: p.id, version: p.version })),
        bots: host.bots.list().map((b) => b.slug),
        default_bot: host.bots.defaultSlug(),
        models: models.list().map((m) => ({ alias: m.alias, provider: m.provider, usable: models.availability(m.alias).usable })),
        default_model: models.defaultAlias() ?? null,
        tools: state.toolbox.families(),
      };
    },
  }),
];
