import { defineCommand } from 'citty';
import { EXIT } from '../errors.js';
import type { Style } from '../render/style.js';
import { renderKeyValues, renderTable } from '../render/table.js';
import type { Terminal } from '../terminal.js';
import { count, runAdmin } from './format.js';
import { connectArgs, jsonArg, printJson, type AnyCommand, type CliContext } from './shared.js';

type State = 'ok' | 'degraded' | 'down';

interface Check {
  id: string;
  plugin: string;
  state: State;
  summary: string;
  details?: Record<string, unknown>;
  duration_ms: number;
}

/** GET /v1/status. */
interface Status {
  state: State;
  version: string | null;
  uptime_s: number;
  plugins: { id: string; version: string; source: string; setup_ms: number }[];
  bots: { count: number; default: string | null };
  models: { alias: string; provider: string; usable: boolean; reason?: string }[];
  checks: Check[];
}

/** Checks shown on their own line rather than in the table of the others. */
const HEADLINE_CHECKS = ['database', 'redis'];

function paint(style: Style, state: State): string {
  return state === 'ok' ? style.green(state) : state === 'degraded' ? style.yellow(state) : style.red(state);
}

/** `45s`, `12m05s`, `3h02m`, `2d04h`. */
export function uptime(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(seconds % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

function checkLine(style: Style, check: Check | undefined, absent: string): string {
  if (!check) return absent;
  return `${paint(style, check.state)}  ${check.summary}`;
}

function printStatus(terminal: Terminal, status: Status, where: string): void {
  const { style } = terminal;
  const usable = status.models.filter((m) => m.usable).length;
  const byId = (id: string) => status.checks.find((c) => c.id === id);
  terminal.out(
    renderKeyValues(
      [
        ['host', `${paint(style, status.state)}  llm-bawt ${status.version ?? '(unknown version)'}, up ${uptime(status.uptime_s)}, ${where}`],
        ['database', checkLine(style, byId('database'), 'none (no loaded plugin reports one)')],
        ['redis', checkLine(style, byId('redis'), 'not used (no loaded plugin reports it)')],
        ['bots', `${status.bots.count}${status.bots.default ? ` (default ${status.bots.default})` : ''}`],
        ['models', `${usable} of ${status.models.length} usable`],
        ['plugins', String(status.plugins.length)],
      ],
      style,
    ),
  );
  const table = (headers: string[], rows: string[][]) => {
    terminal.out('');
    terminal.out(renderTable(headers, rows, { style, maxWidth: terminal.tableWidth, keep: [0] }));
  };
  if (status.models.length > 0) {
    table(['MODEL', 'PROVIDER', 'USABLE', 'WHY NOT'], status.models.map((m) => [m.alias, m.provider, m.usable ? style.green('yes') : style.red('no'), m.reason ?? '']));
  }
  table(['PLUGIN', 'VERSION', 'SOURCE', 'SETUP'], status.plugins.map((p) => [p.id, p.version, p.source, `${Math.round(p.setup_ms)} ms`]));
  const others = status.checks.filter((c) => !HEADLINE_CHECKS.includes(c.id));
  if (others.length > 0) {
    table(['CHECK', 'PLUGIN', 'STATE', 'SUMMARY', 'TOOK'], others.map((c) => [c.id, c.plugin, paint(style, c.state), c.summary, `${Math.round(c.duration_ms)} ms`]));
  }
}

/**
 * `llm-bawt status`: the host, its database and Redis, models and plugins with versions.
 * Exits 1 when the host reports itself degraded or down, so scripts can alert on it.
 * @public
 */
export function statusCommand(ctx: CliContext): AnyCommand {
  return defineCommand({
    meta: { name: 'status', description: 'Show the host, database, Redis, models and plugins (exit code 1 when degraded or down)' },
    args: { ...jsonArg, ...connectArgs },
    async run({ args }) {
      await runAdmin(ctx, 'status', args, () => undefined, async (_, api, terminal) => {
        const status = await api.get<Status>('/v1/status');
        if (args.json) printJson(terminal, status);
        else printStatus(terminal, status, api.connection.label);
        if (status.state !== 'ok') {
          const bad = status.checks.filter((c) => c.state !== 'ok').map((c) => c.id);
          terminal.err(terminal.errStyle.yellow(`llm-bawt status: the host is ${status.state} (${count(bad.length, 'check')} not ok: ${bad.join(', ')})`));
          return EXIT.failed;
        }
      });
    },
  });
}
