import * as v from 'valibot';
import { isRouteReply, type AnyRoute, type HostApi, type Logger, type RouteContext, type RouteProgress } from '@llm-bawt/sdk';
import { getQuery, type H3Event, type Router } from 'h3';
import { readJson } from './body.js';
import type { InflightRequest, InflightRequests } from './chat/inflight.js';
import { apiError } from './errors.js';
import { sendJson } from './http.js';
import { streamRoute, wantsEventStream, type RouteAnswer } from './route-stream.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

// Progress only reaches clients that asked for a stream.
const noProgress = (): void => undefined;

/** The status and body a handler's value answers with; a 204 has no body. */
function answerOf(result: unknown): RouteAnswer {
  if (!isRouteReply(result)) return { status: 200, body: result ?? {} };
  return { status: result.status, body: result.status === 204 ? undefined : result.body };
}

function issuesMessage(where: 'body' | 'query', issues: readonly v.BaseIssue<unknown>[]): { message: string; param: string | null } {
  const first = issues[0];
  const path = (first?.path ?? []).map((item) => String(item.key)).join('.');
  const all = issues.map((issue) => {
    const at = (issue.path ?? []).map((item) => String(item.key)).join('.');
    return at ? `${at}: ${issue.message}` : issue.message;
  });
  return { message: `Invalid ${where === 'body' ? 'request body' : 'query string'}: ${all.join('; ')}`, param: path || null };
}

function parse<S extends v.GenericSchema>(schema: S | undefined, value: unknown, where: 'body' | 'query'): unknown {
  if (!schema) return undefined;
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const { message, param } = issuesMessage(where, result.issues);
  throw apiError('LLMB_ERR_INVALID_REQUEST', message, param);
}

function decodedParams(event: H3Event): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.context.params ?? {})) {
    try {
      params[key] = decodeURIComponent(value);
    } catch {
      params[key] = value;
    }
  }
  return params;
}

export interface RouteDeps {
  host: HostApi;
  logger: Logger;
  bodyLimitBytes: number;
  /** Silence after which a progress stream gets a `: keepalive` comment. */
  keepaliveMs: number;
  /** Requests in flight, stopped by the client leaving or the server shutting down. */
  inflight: InflightRequests;
}

/**
 * Mounts the routes plugins contribute (`contributes.routes`): validates body and query with
 * their schemas, passes an abort signal that fires when the client leaves, and answers JSON,
 * or server-sent events with the handler's progress when the client accepts
 * `text/event-stream`. Returns each path's methods for 405 answers.
 */
export function mountRoutes(
  router: Router,
  routes: readonly AnyRoute[],
  deps: RouteDeps,
  handle: (fn: (event: H3Event) => Promise<void>) => Parameters<Router['add']>[1],
): Map<string, string[]> {
  const methods = new Map<string, string[]>();
  const ctx = { host: deps.host, logger: deps.logger, get: deps.host.get.bind(deps.host) };
  for (const route of routes) {
    methods.set(route.path, [...(methods.get(route.path) ?? []), route.method]);
    router.add(
      route.path,
      handle(async (event) => {
        const res = event.node.res;
        // Tracked like chat requests: the client leaving or the server shutting down aborts `signal`.
        const { request: inflight, release } = deps.inflight.open(res);
        try {
          await answerRoute(event, route, inflight, deps, ctx);
        } finally {
          release();
        }
      }),
      route.method.toLowerCase() as 'get',
    );
  }
  return methods;
}

/** Runs one plugin route: JSON, or server-sent events with progress when the client asks. */
async function answerRoute(event: H3Event, route: AnyRoute, inflight: InflightRequest, deps: RouteDeps, ctx: RouteContext): Promise<void> {
  const res = event.node.res;
  const raw = WITH_BODY.has(route.method) && route.body ? await readJson(event.node.req, deps.bodyLimitBytes) : undefined;
  const request = {
    params: decodedParams(event),
    query: parse(route.query, getQuery(event), 'query'),
    body: parse(route.body, raw, 'body'),
    headers: event.node.req.headers as Record<string, string | undefined>,
    signal: inflight.controller.signal,
  };
  /** The handler's answer; stopped by a shutdown, the request ends with LLMB_ERR_NOT_READY even if the handler ignores its signal. */
  const run = async (progress: (update: RouteProgress) => void) => {
    const shutdown = new Promise<never>((_, reject) => {
      inflight.controller.signal.addEventListener('abort', () => {
        if (inflight.stopReason === 'shutdown') reject(apiError('LLMB_ERR_NOT_READY', 'llm-bawt is shutting down; retry the request.'));
      }, { once: true });
    });
    shutdown.catch(() => undefined);
    return answerOf(await Promise.race([route.handle({ ...request, progress }, ctx), shutdown]));
  };
  if (wantsEventStream(event.node.req.headers.accept)) {
    await streamRoute(event, run, deps);
    return;
  }
  const answer = await run(noProgress);
  if (answer.body === undefined) {
    res.writeHead(answer.status).end();
    return;
  }
  sendJson(event, answer.status, answer.body);
}
