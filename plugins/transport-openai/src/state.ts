import { createRef } from '@llm-bawt/sdk';
import type { TransportOpenaiConfig } from './config.js';

/** The transport's config and, once it listens, where. @public */
export interface TransportOpenaiState {
  readonly config: TransportOpenaiConfig;
  /** Base URL of the running server, e.g. `http://127.0.0.1:8642` (no `/v1`); undefined until started. */
  url: string | undefined;
  /** Bound port, useful when the configured port was 0. */
  port: number | undefined;
}

/**
 * Root ref the plugin's setup provides: transports get no config of their own, so `start`
 * reads it here, and tests and the CLI read the bound URL back.
 * @public
 */
export const transportOpenaiRef = createRef<TransportOpenaiState>({ id: 'transport-openai.server' });
