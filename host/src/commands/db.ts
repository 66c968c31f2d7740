import { join } from 'node:path';
import { defineCommand } from 'citty';
import { BUILT_IN_REF_IDS, sortPlugins } from '@llm-bawt/core';
import { isLlmbError, type MigrationDefinition } from '@llm-bawt/sdk';
import {
  migrate,
  status,
  STORE_PLUGIN_ID,
  type ContributedMigration,
  type MigrateOptions,
  type MigrationReport,
  type StatusReport,
} from '@llm-bawt/plugin-store-postgres';
import { planBoot, type BootPlan } from '../boot.js';
import { bootRequest, guarded, loggerFor, processIo, quietLevel, type CliIo } from '../cli-io.js';
import { BootFailure, type Problem } from '../problems.js';

/**
 * Problems that keep the database commands from knowing the database or the migrations: the
 * config file, the plugin list, plugin configs. bots.yaml and models.yaml are not read here.
 */
function relevantProblems(plan: BootPlan): Problem[] {
  const seedFiles = new Set([plan.labels.bots, plan.labels.models].filter((label) => label !== undefined));
  const defaults = new Set(['default_bot', 'default_model', 'LLM_BAWT_DEFAULT_BOT', 'LLM_BAWT_DEFAULT_MODEL']);
  return plan.problems.filter((p) => !(p.file !== undefined && seedFiles.has(p.file)) && !(p.path !== undefined && defaults.has(p.path)));
}

/** Where the database is and every loaded plugin's migrations, the way the host would boot. */
async function targetOf(io: CliIo, flags: { config?: string | undefined }, heading: string): Promise<MigrateOptions> {
  const plan = await planBoot(bootRequest(io, { config: flags.config }, false));
  const problems = relevantProblems(plan);
  if (problems.length > 0) throw new BootFailure(problems, heading);
  const plugins = sortPlugins([...plan.options.plugins], BUILT_IN_REF_IDS).order;
  if (!plugins.some((plugin) => plugin.id === STORE_PLUGIN_ID)) {
    throw new BootFailure([{ message: `${STORE_PLUGIN_ID} is not among the plugins (${plan.labels.config ?? 'built-in defaults'}): this host uses no database` }], heading);
  }
  // Already checked against the plugin's schema by planBoot.
  const config = (plan.options.pluginConfig?.[STORE_PLUGIN_ID] ?? {}) as { url?: string; dataDir?: string };
  const migrations: ContributedMigration[] = plugins.flatMap((plugin) =>
    (plugin.contributes?.migrations ?? []).map((value: MigrationDefinition) => ({ pluginId: plugin.id, value })),
  );
  return {
    ...(config.url ? { url: config.url } : {}),
    ...(config.dataDir ? { dataDir: config.dataDir } : {}),
    // The environment the host gives plugins: DATABASE_URL and LLM_BAWT_DATA_DIR filled in from the config file.
    env: plan.options.env ?? {},
    fallbackDataDir: join(plan.settings.dataDir, STORE_PLUGIN_ID),
    poolSize: 1,
    migrations,
    logger: loggerFor(io, quietLevel(plan.settings.logLevel)),
  };
}

/** Runs a database command: a storage failure (unreachable, refused, locked) is one line and exit 1. */
async function withDatabase(io: CliIo, name: string, body: () => Promise<number>): Promise<number> {
  return guarded(io, async () => {
    try {
      return await body();
    } catch (error) {
      if (!isLlmbError(error)) throw error;
      io.err(`llm-bawt ${name}: ${error.message}`);
      return 1;
    }
  });
}

function when(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}

/** The status report as a table: state, plugin/migration, when applied, description. */
export function renderStatus(report: StatusReport): string {
  const counts = new Map<string, number>();
  for (const m of report.migrations) counts.set(m.state, (counts.get(m.state) ?? 0) + 1);
  const summary = ['applied', 'pending', 'changed', 'orphaned'].filter((state) => counts.has(state)).map((state) => `${counts.get(state)} ${state}`);
  const names = report.migrations.map((m) => `${m.pluginId}/${m.id}`);
  const width = Math.max(0, ...names.map((name) => name.length));
  const lines = report.migrations.map((m, i) => {
    const detail = [when(m.appliedAt), m.description ?? ''].filter(Boolean).join('  ');
    return `  ${m.state.padEnd(8)} ${(names[i] as string).padEnd(width)}  ${detail}`.trimEnd();
  });
  const advice: string[] = [];
  if (counts.has('pending')) advice.push("run 'llm-bawt db migrate' to apply the pending migrations");
  if (counts.has('changed')) advice.push('a changed migration was edited after it was applied: restore its SQL and add a new migration instead');
  return [`database: ${report.target}`, `migrations: ${summary.join(', ') || 'none'}`, ...lines, ...advice].join('\n');
}

/** What `db migrate` did, readably. */
export function renderMigration(report: MigrationReport): string {
  const lines = [`database: ${report.target}`];
  if (report.applied.length === 0) {
    lines.push(`nothing to apply: ${report.upToDate} migration${report.upToDate === 1 ? ' was' : 's were'} already applied`);
    return lines.join('\n');
  }
  lines.push(`applied ${report.applied.length} migration${report.applied.length === 1 ? '' : 's'}:`);
  const names = report.applied.map((m) => `${m.pluginId}/${m.id}`);
  const width = Math.max(...names.map((name) => name.length));
  report.applied.forEach((m, i) => lines.push(`  ${(names[i] as string).padEnd(width)}  ${m.durationMs} ms`));
  if (report.upToDate > 0) lines.push(`${report.upToDate} already applied before`);
  return lines.join('\n');
}

/** `llm-bawt db status`: every plugin's migrations and whether the database has them; changes nothing. */
export async function runDbStatus(io: CliIo, flags: { config?: string | undefined; json?: boolean | undefined }): Promise<number> {
  return withDatabase(io, 'db status', async () => {
    const options = await targetOf(io, flags, 'db status');
    const report = await status(options);
    io.out(flags.json ? JSON.stringify(report, null, 2) : renderStatus(report));
    return 0;
  });
}

/** `llm-bawt db migrate`: applies pending migrations (under the migration lock), as the host does at boot. */
export async function runDbMigrate(io: CliIo, flags: { config?: string | undefined }): Promise<number> {
  return withDatabase(io, 'db migrate', async () => {
    const options = await targetOf(io, flags, 'db migrate');
    io.out(renderMigration(await migrate(options)));
    return 0;
  });
}

const configArg = { config: { type: 'string', description: 'Config file', valueHint: 'FILE' } } as const;

export const dbCommand = defineCommand({
  meta: { name: 'db', description: 'Database tools: migration status and migrate (the store-postgres plugin)' },
  subCommands: {
    status: defineCommand({
      meta: { name: 'status', description: "List every loaded plugin's migrations: applied, pending, changed or orphaned" },
      args: { ...configArg, json: { type: 'boolean', description: 'Print the report as JSON' } },
      async run({ args }) {
        const io = processIo();
        const code = await runDbStatus(io, { config: args.config, json: args.json });
        if (code !== 0) io.exit(code);
      },
    }),
    migrate: defineCommand({
      meta: { name: 'migrate', description: 'Apply pending migrations (stop a host using the embedded database first)' },
      args: configArg,
      async run({ args }) {
        const io = processIo();
        const code = await runDbMigrate(io, { config: args.config });
        if (code !== 0) io.exit(code);
      },
    }),
  },
});
