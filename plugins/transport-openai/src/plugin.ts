import { definePlugin } from '@llm-bawt/sdk';
import { transportOpenaiConfigSchema } from './config.js';
import { transportOpenaiRef, type TransportOpenaiState } from './state.js';
import { openaiTransport } from './transport.js';

/** The OpenAI-compatible HTTP listener (`/v1/chat/completions`, `/v1/models`, probes). @public */
export const transportOpenaiPlugin = definePlugin({
  id: 'transport-openai',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'OpenAI-compatible HTTP API (h3 + listhen): chat completions with SSE, models, health probes',
  config: transportOpenaiConfigSchema,
  provides: [transportOpenaiRef],
  contributes: { transports: [openaiTransport] },
  setup(ctx) {
    const state: TransportOpenaiState = { config: ctx.config, url: undefined, port: undefined };
    ctx.provide(transportOpenaiRef, () => state);
  },
});

export default transportOpenaiPlugin;
