import * as v from 'valibot';
import { brand, isBranded, type Branded } from './brand.js';
import { createError } from './errors.js';
import type { HostApi } from './host-api.js';
import type { Logger } from './logger.js';
import type { AnyRef, RefValue } from './refs.js';

type MaybePromise<T> = T | Promise<T>;

/** HTTP methods a route may answer. @public */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Infer<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

/**
 * How far a long route has come: `done` of `total` units (whatever the route counts), with
 * an optional line for people. @public
 */
export interface RouteProgress {
  done: number;
  total?: number;
  message?: string;
}

/** A validated request, as a route handler sees it. @public */
export interface RouteRequest<B, Q> {
  /** Path parameters (`/v1/bots/:slug` gives `params.slug`), decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: Q;
  readonly body: B;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /**
   * Reports progress to a client that asked for it (HTTP: `Accept: text/event-stream`); a
   * no-op otherwise, so call it freely. Transports throttle what they send.
   */
  readonly progress: (update: RouteProgress) => void;
}

/** What a route handler can reach: the host, a logger, and root refs. @public */
export interface RouteContext {
  readonly host: HostApi;
  readonly logger: Logger;
  get<R extends AnyRef>(ref: R): RefValue<R>;
}

/** A reply with a status other than 200, made with {@link reply}. @public */
export interface RouteReply extends Branded<'reply'> {
  readonly status: number;
  readonly body: unknown;
}

/** Answers a route with a status (201, 204, ...) and a JSON body. @public */
export function reply(status: number, body?: unknown): RouteReply {
  return brand({ status, body }, 'reply');
}

/** True for a {@link reply} made by any sdk copy. @public */
export function isRouteReply(value: unknown): value is RouteReply {
  return isBranded(value, 'reply');
}

/**
 * An HTTP route a plugin adds to the host's API. Transports validate `body` and `query` with
 * the valibot schemas (bad input is a 400 naming the path), answer the handler's value as
 * JSON (200), a {@link reply} with its status, and thrown coded errors in OpenAI's error shape.
 * @public
 */
export interface RouteDefinition<B extends v.GenericSchema | undefined = undefined, Q extends v.GenericSchema | undefined = undefined> {
  method: HttpMethod;
  /** Path with `:name` parameters, e.g. `/v1/turn-logs/:id`. */
  path: string;
  /** One line for the API reference. */
  summary: string;
  body?: B;
  query?: Q;
  handle(request: RouteRequest<Infer<B>, Infer<Q>>, ctx: RouteContext): MaybePromise<unknown>;
}

/** Any route, whatever its schemas. @public */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDefinition<any, any> & Branded<'route'>;

/** Defines an HTTP route. @public */
export function defineRoute<B extends v.GenericSchema | undefined = undefined, Q extends v.GenericSchema | undefined = undefined>(
  definition: RouteDefinition<B, Q>,
): RouteDefinition<B, Q> & Branded<'route'> {
  if (!definition.path.startsWith('/')) throw new TypeError(`route path ${JSON.stringify(definition.path)} must start with /`);
  return brand(definition, 'route');
}

const nonEmpty = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));

/**
 * `bot_id` and `user`, the fields a route about one bot and user takes (in the query string
 * for GET and DELETE, in the JSON body otherwise): spread them into its schema. @public
 */
export const scopeFields = { bot_id: v.optional(nonEmpty), user: v.optional(nonEmpty) };

/**
 * The bot and user a route acts for: `bot_id`, else the host's default bot (which must
 * exist: `LLMB_ERR_UNKNOWN_BOT` naming `bot_id` otherwise), and `user`, else the host's
 * default user, as chat turns use. @public
 */
export function routeScope(input: { bot_id?: string | undefined; user?: string | undefined }, ctx: Pick<RouteContext, 'host'>): { botId: string; userId: string } {
  const botId = input.bot_id ?? ctx.host.bots.defaultSlug();
  if (!ctx.host.bots.get(botId)) throw createError('LLMB_ERR_UNKNOWN_BOT', `The bot '${botId}' does not exist`, { param: 'bot_id' });
  return { botId, userId: input.user ?? ctx.host.defaultUser };
}
