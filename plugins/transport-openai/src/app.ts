import type { IncomingMessage, ServerResponse } from 'node:http';
import { coreRefs, type HostApi, type Logger } from '@llm-bawt/sdk';
import { createApp, createRouter, eventHandler, toNodeListener, type H3Error, type H3Event } from 'h3';
import { createKeyCheck } from './auth.js';
import { handleChatCompletions } from './chat/handler.js';
import type { InflightRequests } from './chat/inflight.js';
import type { ServerOptions } from './config.js';
import { ApiError, apiError, errorBody, toApiError } from './errors.js';
import { sendJson, startClock } from './http.js';
import { findModel, listModels } from './models.js';
import { mountRoutes } from './routes.js';
import { readStatus } from './status.js';

export interface AppDeps {
  host: HostApi;
  logger: Logger;
  inflight: InflightRequests;
  options: ServerOptions;
  /** Unix seconds reported as every model's `created`. */
  startedAt: number;
}

/** Methods each route answers, for 405's Allow header. */
const ALLOW: Record<string, string> = {
  '/health': 'GET',
  '/ready': 'GET',
  '/v1/models': 'GET',
  '/v1/status': 'GET',
  '/v1/chat/completions': 'POST',
};

function pathOf(event: H3Event): string {
  const path = event.path;
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The router's own 404/405 (its errors wrap a plain object; thrown errors wrap an Error). */
function routeError(error: H3Error, event: H3Event, pluginMethods: ReadonlyMap<string, string[]>): ApiError | undefined {
  if (error.cause instanceof Error) return undefined;
  const path = pathOf(event);
  if (error.statusCode === 404) {
    return apiError('LLMB_ERR_NOT_FOUND', `Unknown request URL: ${event.method} ${path}. Please check the URL for typos.`);
  }
  if (error.statusCode === 405) {
    const allow = ALLOW[path] ?? (path.startsWith('/v1/models/') ? 'GET' : allowedByPlugins(path, pluginMethods));
    return new ApiError(405, 'LLMB_ERR_METHOD_NOT_ALLOWED', `Method ${event.method} is not allowed on ${path}.`, allow ? { headers: { allow } } : {});
  }
  return undefined;
}

/** Methods plugin routes answer on a concrete path (matching `:param` segments). */
function allowedByPlugins(path: string, methods: ReadonlyMap<string, string[]>): string | undefined {
  const parts = path.split('/');
  for (const [pattern, list] of methods) {
    const want = pattern.split('/');
    if (want.length === parts.length && want.every((segment, i) => segment.startsWith(':') || segment === parts[i])) return list.join(', ');
  }
  return undefined;
}

/** Answers anything thrown: coded errors as they are, the rest as a logged, generic 500. */
function answerError(event: H3Event, value: unknown, logger: Logger): void {
  const { error, unexpected } = toApiError(value);
  if (unexpected) {
    const detail = value as Error | undefined;
    logger.error(`${event.method} ${pathOf(event)} failed: ${detail?.message ?? String(value)}`, { code: error.code, stack: detail?.stack });
  }
  const res = event.node.res;
  if (res.headersSent || res.destroyed) {
    // The client is gone or a stream already ended; nothing more can be said.
    if (!res.writableEnded) res.end();
    return;
  }
  sendJson(event, error.status, errorBody(error), error.headers);
}

/** The h3 app as a Node request listener: OpenAI routes, probes, bearer auth, OpenAI-shaped errors. */
export function createOpenaiListener(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { host, logger, options } = deps;
  const listening = performance.now();
  const keyCheck = options.apiKeys.length > 0 ? createKeyCheck(options.apiKeys) : undefined;
  const chatDeps = { host, logger, inflight: deps.inflight, bodyLimitBytes: options.bodyLimitBytes, keepaliveMs: options.keepaliveMs };
  // Handlers answer their own errors: h3 would wrap them and keep only their `cause`.
  const handle = (fn: (event: H3Event) => void | Promise<void>) =>
    eventHandler(async (event) => {
      try {
        await fn(event);
      } catch (caught) {
        answerError(event, caught, logger);
      }
    });

  const router = createRouter({ preemptive: true })
    .get('/health', handle((event) => sendJson(event, 200, { status: 'ok' })))
    .get('/ready', handle((event) => {
      if (host.state === 'ready') return sendJson(event, 200, { status: 'ready' });
      const message = host.state === 'starting' ? 'llm-bawt is still starting' : 'llm-bawt is shutting down';
      sendJson(event, 503, { status: host.state, ...errorBody(apiError('LLMB_ERR_NOT_READY', message)) });
    }))
    .get('/v1/status', handle(async (event) => {
      const caller = new AbortController();
      const res = event.node.res;
      res.once('close', () => {
        if (!res.writableFinished) caller.abort();
      });
      sendJson(event, 200, await readStatus(host, { uptimeMs: performance.now() - listening, signal: caller.signal }));
    }))
    .get('/v1/models', handle((event) => sendJson(event, 200, { object: 'list', data: listModels(host, deps.startedAt) })))
    .get('/v1/models/:id', handle((event) => {
      const id = safeDecode(event.context.params?.id ?? '');
      const model = findModel(host, id, deps.startedAt);
      if (!model) throw apiError('LLMB_ERR_UNKNOWN_MODEL', `The model '${id}' does not exist`, 'model');
      sendJson(event, 200, model);
    }))
    .post('/v1/chat/completions', handle((event) => handleChatCompletions(event, chatDeps)));
  const pluginRoutes = host.get(coreRefs.contributions).routes.map((entry) => entry.value);
  const pluginMethods = mountRoutes(router, pluginRoutes, { host, logger, bodyLimitBytes: options.bodyLimitBytes, keepaliveMs: options.keepaliveMs, inflight: deps.inflight }, handle);

  const app = createApp({
    onRequest(event) {
      if (keyCheck === undefined || !event.path.startsWith('/v1/')) return;
      if (!keyCheck(event.node.req.headers.authorization)) {
        throw new ApiError(401, 'LLMB_ERR_UNAUTHORIZED', 'Missing or invalid API key. Send it as "Authorization: Bearer <key>".', {
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
    },
    onError(error, event) {
      answerError(event, routeError(error, event, pluginMethods) ?? error.cause ?? error, logger);
    },
  });
  app.use(router);
  const listener = toNodeListener(app);
  return (req, res) => {
    startClock(req);
    void listener(req, res);
  };
}
