import type { AnyRef } from '../refs.js';
import type { BotConfig, ModelSpec } from '../config-types.js';
import type { AnyPlugin } from '../plugin.js';
import type { HostApi, ListenSettings } from '../host-api.js';
import type { Logger } from '../logger.js';
import type { TurnEvent } from '../messages.js';
import type { FinishedTurn, TurnInput } from '../turn.js';

/** Options of {@link createTestHost}; everything has a small default. @public */
export interface TestHostOptions {
  plugins?: AnyPlugin[];
  /** Bots; defaults to one stateless bot `test`. Missing fields get defaults. */
  bots?: (Partial<BotConfig> & { slug: string })[];
  models?: ModelSpec[];
  defaultModel?: string;
  /** Root plugin config by plugin id. */
  pluginConfig?: Record<string, unknown>;
  /** Global runtime settings. */
  settings?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  /** Values put in the root container before any plugin runs, to stand in for refs. */
  overrides?: ReadonlyArray<readonly [AnyRef, unknown]>;
  /** Start transports: none (default), all (`true`), or only these transport ids. */
  transports?: boolean | readonly string[];
  listen?: ListenSettings;
  /** The host version `HostApi.version` reports (none by default). */
  version?: string;
  /** The user id of requests that name none (`default` by default). */
  defaultUser?: string;
  dataDir?: string;
  /** Where host and plugin logs go (silent by default). */
  logger?: Logger;
}

/** What one test turn produced. @public */
export interface AskResult {
  text: string;
  events: TurnEvent[];
  turn: FinishedTurn;
}

/** A booted host for tests, with `ask` to run a whole turn. @public */
export interface TestHost extends HostApi {
  ask(input: string | TurnInput): Promise<AskResult>;
}

/**
 * Boots a real llm-bawt host in-process with the given plugins (the same boot as
 * `llm-bawt host`), transports off unless asked. Needs `@llm-bawt/core` installed. @public
 */
export async function createTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  // Loaded at run time so the sdk itself never depends on core.
  const specifier = '@llm-bawt/core';
  const core = (await import(specifier)) as { createTestHost(options: TestHostOptions): Promise<TestHost> };
  return core.createTestHost(options);
}
