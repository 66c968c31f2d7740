import { defineCommand } from 'citty';
import type { ProgressUpdate } from '../api.js';
import { CliError, EXIT } from '../errors.js';
import { createProgress } from '../render/progress.js';
import { renderTable } from '../render/table.js';
import type { Terminal } from '../terminal.js';
import { clip, count, decimal, missing, num, runAdmin, shortId, when, wholeNumber } from './format.js';
import { connectArgs, jsonArg, printJson, scopeArgs, scopeOf, type AnyCommand, type CliContext } from './shared.js';

/** A memory as the API answers it (search hits add their score). */
interface Memory {
  id: string;
  content: string;
  tags: string[];
  importance: number;
  status?: 'active' | 'superseded' | 'deleted';
  created_at: string;
  score?: number;
  similarity?: number;
  via?: string;
}

interface ConsolidationReport {
  dry_run: boolean;
  considered: number;
  clusters: {
    member_ids: string[];
    members: { id: string; content: string; importance: number; tags: string[] }[];
    merged: { content: string; tags: string[]; importance: number };
    merged_id?: string;
  }[];
}

/** `--order` values (mutable, as citty's enum type wants). */
const ORDERS = ['importance', 'recent'];

const common = { ...scopeArgs, ...jsonArg, ...connectArgs } as const;

function memoryTable(terminal: Terminal, memories: Memory[], withStatus: boolean): string {
  const { style } = terminal;
  const headers = ['ID', 'IMPORTANCE', 'TAGS', 'CREATED', ...(withStatus ? ['STATUS'] : []), 'CONTENT'];
  const rows = memories.map((m) => [shortId(m.id), num(m.importance), m.tags.join(','), when(m.created_at), ...(withStatus ? [m.status ?? '—'] : []), clip(m.content, 200)]);
  return renderTable(headers, rows, { style, maxWidth: terminal.tableWidth, keep: [0] });
}

/** Runs a long request with a progress line on stderr. */
async function withProgress<T>(
  terminal: Terminal,
  label: string,
  run: (onProgress: (update: ProgressUpdate) => void) => Promise<T>,
  done: (result: T) => string,
): Promise<T> {
  const progress = createProgress({ stream: terminal.stderr, style: terminal.errStyle, label });
  try {
    const result = await run((update) => progress.update(update));
    progress.finish(done(result));
    return result;
  } catch (error) {
    progress.fail();
    throw error;
  }
}

function listCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'list', description: "List a user's memories for a bot" },
    args: {
      limit: { type: 'string', description: 'How many (1-500, default 50)', valueHint: 'N' },
      order: { type: 'enum', options: ORDERS, description: 'Most important or newest first (default importance)' },
      all: { type: 'boolean', description: 'Include superseded and deleted memories' },
      ...common,
    },
    async run({ args }) {
      await runAdmin(
        ctx,
        'memory list',
        args,
        (values) => wholeNumber('limit', values.limit, 1, 500),
        async (limit, api, terminal) => {
          const { data } = await api.get<{ data: Memory[] }>('/v1/memory', {
            ...scopeOf(args),
            ...(limit ? { limit } : {}),
            ...(args.order ? { order: args.order } : {}),
            ...(args.all ? { include_superseded: true } : {}),
          });
          if (args.json) return printJson(terminal, data);
          if (data.length === 0) return terminal.out('no memories');
          terminal.out(memoryTable(terminal, data, args.all === true));
        },
      );
    },
  });
}

function searchCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'search', description: 'Search memories, scored as a chat turn recalls them' },
    args: {
      query: { type: 'positional', required: false, description: 'What to look for (several words are joined)', valueHint: 'QUERY' },
      limit: { type: 'string', description: 'How many hits (1-50, default 10)', valueHint: 'N' },
      'min-relevance': { type: 'string', description: 'Leave out hits scoring below this (0-1)', valueHint: 'SCORE' },
      ...common,
    },
    async run({ args }) {
      await runAdmin(
        ctx,
        'memory search',
        args,
        (values) => ({
          q: values._.join(' ').trim() || missing('what to search for', 'llm-bawt memory search "where does the user live"'),
          limit: wholeNumber('limit', values.limit, 1, 50),
          minRelevance: decimal('min-relevance', values['min-relevance'], 0, 1),
        }),
        async ({ q, limit, minRelevance }, api, terminal) => {
          const found = await api.get<{ method: string; data: Memory[] }>('/v1/memory/search', {
            ...scopeOf(args),
            q,
            ...(limit ? { limit } : {}),
            ...(minRelevance !== undefined ? { min_relevance: minRelevance } : {}),
          });
          if (args.json) return printJson(terminal, found.data);
          if (found.data.length === 0) return terminal.out(`no memories match (${found.method} search)`);
          const { style } = terminal;
          const rows = found.data.map((m) => [shortId(m.id), num(m.score, 3), num(m.importance), m.tags.join(','), clip(m.content, 200)]);
          terminal.out(renderTable(['ID', 'SCORE', 'IMPORTANCE', 'TAGS', 'CONTENT'], rows, { style, maxWidth: terminal.tableWidth, keep: [0] }));
        },
      );
    },
  });
}

function forgetCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'forget', description: 'Retire memories by id (kept in their supersede chain, left out of recall)' },
    args: { id: { type: 'positional', required: false, description: 'Memory ids (or their first 8 characters); several may be given', valueHint: 'ID…' }, ...common },
    async run({ args }) {
      await runAdmin(
        ctx,
        'memory forget',
        args,
        (values) => (values._.length > 0 ? values._ : missing('the memory ids to forget', 'llm-bawt memory forget ID [ID…] (llm-bawt memory list shows them)')),
        async (ids, api, terminal) => {
          const scope = scopeOf(args);
          // Every id is checked before any is retired: a typo forgets nothing.
          const looked = await Promise.all(ids.map((id) => api.get<Memory>(`/v1/memory/${encodeURIComponent(id)}`, scope)));
          const found = [...new Map(looked.map((m) => [m.id, m])).values()];
          const inactive = found.find((m) => m.status !== undefined && m.status !== 'active');
          if (inactive) throw new CliError(`memory ${shortId(inactive.id)} is already ${inactive.status}; nothing was forgotten`, EXIT.failed);
          const forgotten: Memory[] = [];
          for (const memory of found) forgotten.push((await api.delete<{ memory: Memory }>(`/v1/memory/${memory.id}`, scope)).memory);
          if (args.json) return printJson(terminal, forgotten);
          for (const memory of forgotten) terminal.out(`forgot ${shortId(memory.id)}  ${clip(memory.content, terminal.width - 18)}`);
        },
      );
    },
  });
}

function printPlan(terminal: Terminal, report: ConsolidationReport): void {
  const { style } = terminal;
  const merged = report.clusters.reduce((sum, c) => sum + c.members.length, 0);
  const verb = report.dry_run ? 'would merge' : 'merged';
  terminal.out(`${count(report.considered, 'memory', 'memories')} considered; ${count(report.clusters.length, 'cluster')} ${verb} (${count(merged, 'memory', 'memories')})`);
  report.clusters.forEach((cluster, index) => {
    terminal.out('');
    const id = cluster.merged_id ? ` ${style.dim(shortId(cluster.merged_id))}` : '';
    terminal.out(`${index + 1}.${id} ${style.bold(clip(cluster.merged.content, terminal.width - 14))}`);
    terminal.out(`   ${style.dim(`importance ${num(cluster.merged.importance)}, tags ${cluster.merged.tags.join(', ') || '—'}`)}`);
    for (const member of cluster.members) terminal.out(`   ← ${shortId(member.id)}  ${clip(member.content, terminal.width - 17)}`);
  });
  if (report.dry_run && report.clusters.length > 0) {
    terminal.out('');
    terminal.out('dry run: nothing changed (llm-bawt memory consolidate --apply merges them)');
  }
}

function consolidateCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'consolidate', description: 'Merge clusters of similar memories; a dry run showing the plan unless --apply' },
    args: {
      apply: { type: 'boolean', description: 'Merge the clusters (without it, only show the plan)' },
      limit: { type: 'string', description: 'Most memories to consider, most important first (2-20000, default 2000)', valueHint: 'N' },
      ...common,
    },
    async run({ args }) {
      await runAdmin(
        ctx,
        'memory consolidate',
        args,
        (values) => wholeNumber('limit', values.limit, 2, 20_000),
        async (limit, api, terminal, signal) => {
          const body = { ...scopeOf(args), dry_run: args.apply !== true, ...(limit ? { limit } : {}) };
          const label = args.apply ? 'consolidating memories' : 'planning consolidation';
          const report = await withProgress(
            terminal,
            label,
            (onProgress) => api.post<ConsolidationReport>('/v1/memory/consolidate', body, { onProgress, signal }),
            (done) => `${label}: ${count(done.considered, 'memory', 'memories')} considered`,
          );
          if (args.json) printJson(terminal, report);
          else printPlan(terminal, report);
        },
      );
    },
  });
}

function reembedCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'reembed', description: 'Embed memories stored without a vector (every memory with --all)' },
    args: { all: { type: 'boolean', description: 'Embed every memory again, not only those without a vector' }, ...common },
    async run({ args }) {
      await runAdmin(ctx, 'memory reembed', args, () => undefined, async (_, api, terminal, signal) => {
        const body = { ...scopeOf(args), all: args.all === true };
        const result = await withProgress(terminal, 're-embedding memories', (onProgress) =>
          api.post<{ embedder: string; embedded: number }>('/v1/memory/regenerate-embeddings', body, { onProgress, signal }),
          (done) => `re-embedding memories: ${done.embedded} done`,
        );
        if (args.json) printJson(terminal, result);
        else terminal.out(`embedded ${count(result.embedded, 'memory', 'memories')} with ${result.embedder}`);
      });
    },
  });
}

/** `llm-bawt memory list|search|forget|consolidate|reembed`. @public */
export function memoryCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'memory', description: "A user's lasting memories for a bot: list, search, forget, consolidate, re-embed" },
    subCommands: {
      list: listCommand(ctx),
      search: searchCommand(ctx),
      forget: forgetCommand(ctx),
      consolidate: consolidateCommand(ctx),
      reembed: reembedCommand(ctx),
    },
  });
}
