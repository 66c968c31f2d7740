import * as v from 'valibot';
import { coreRefs, type HostApi, type StatusCheckDefinition, type StatusReport, type StatusState } from '@llm-bawt/sdk';

/** How long a status check may take when it does not say. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

const SEVERITY: Record<StatusState, number> = { ok: 0, degraded: 1, down: 2 };

// A check is plugin code, possibly plain JavaScript: its answer is checked before it is served.
const reportSchema = v.object({
  state: v.picklist(['ok', 'degraded', 'down']),
  summary: v.string(),
  details: v.optional(v.record(v.string(), v.unknown())),
});

/** One entry of `checks` in `GET /v1/status`. */
export interface CheckResult {
  id: string;
  plugin: string;
  state: StatusState;
  summary: string;
  details?: Record<string, unknown>;
  duration_ms: number;
}

/** The body of `GET /v1/status`. */
export interface StatusBody {
  object: 'status';
  /** The worst state among the checks (`ok` when there are none). */
  state: StatusState;
  /** The llm-bawt host's version; null when the host was booted without one. */
  version: string | null;
  uptime_s: number;
  plugins: { id: string; version: string; source: string; setup_ms: number }[];
  bots: { count: number; default: string | null };
  models: { alias: string; provider: string; usable: boolean; reason?: string }[];
  checks: CheckResult[];
}

/** A contributed check with the plugin that contributes it. */
export interface ContributedCheck {
  pluginId: string;
  value: StatusCheckDefinition;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

const TIMED_OUT = Symbol('timed out');

/**
 * Runs one check under its timeout. A check that throws, times out or answers with something
 * that is not a report is `down`, with the reason as its summary; it never throws.
 */
export async function runCheck(host: HostApi, entry: ContributedCheck, caller: AbortSignal): Promise<CheckResult> {
  const { pluginId, value: definition } = entry;
  const timeoutMs = definition.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const logger = host.get(coreRefs.logger).child({ plugin: pluginId, status_check: definition.id });
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(caller.reason);
  caller.addEventListener('abort', onCallerAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  const started = performance.now();
  const result = (report: StatusReport): CheckResult => ({
    id: definition.id,
    plugin: pluginId,
    state: report.state,
    summary: report.summary,
    ...(report.details ? { details: report.details } : {}),
    duration_ms: round(performance.now() - started),
  });
  try {
    const ctx = { host, logger, get: host.get.bind(host), signal: controller.signal };
    const outcome = await Promise.race([Promise.resolve().then(() => definition.check(ctx)), timeout]);
    if (outcome === TIMED_OUT) {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      logger.warn(`status check '${definition.id}' of plugin '${pluginId}' timed out after ${timeoutMs} ms`);
      return result({ state: 'down', summary: `timed out after ${timeoutMs} ms` });
    }
    const parsed = v.safeParse(reportSchema, outcome);
    if (!parsed.success) return result({ state: 'down', summary: `answered without a valid status report (${parsed.issues[0]?.message ?? 'unknown shape'})` });
    return result(parsed.output);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.debug(`status check '${definition.id}' of plugin '${pluginId}' failed: ${message}`);
    return result({ state: 'down', summary: message || 'failed' });
  } finally {
    clearTimeout(timer);
    caller.removeEventListener('abort', onCallerAbort);
  }
}

/** The host's status: versions, plugins, bots, models, and every contributed check run in parallel. */
export async function readStatus(host: HostApi, options: { uptimeMs: number; signal: AbortSignal }): Promise<StatusBody> {
  const contributed = host.get(coreRefs.contributions).status;
  const checks = await Promise.all(contributed.map((entry) => runCheck(host, entry, options.signal)));
  const state = checks.reduce<StatusState>((worst, check) => (SEVERITY[check.state] > SEVERITY[worst] ? check.state : worst), 'ok');
  const bots = host.bots.list();
  return {
    object: 'status',
    state,
    version: host.version ?? null,
    uptime_s: Math.floor(options.uptimeMs / 1000),
    plugins: host.plugins().map((p) => ({ id: p.id, version: p.version, source: p.source, setup_ms: round(p.setupMs) })),
    bots: { count: bots.length, default: bots.length > 0 ? host.bots.defaultSlug() : null },
    models: host.models.list().map((spec) => {
      const availability = host.models.availability(spec.alias);
      return { alias: spec.alias, provider: spec.provider, usable: availability.usable, ...(availability.usable ? {} : { reason: availability.reason }) };
    }),
    checks,
  };
}
