import { definePlugin } from '@llm-bawt/sdk';
import { anthropicProvider } from './provider.js';

/** Contributes the `anthropic` model provider. @public */
export const providerAnthropicPlugin = definePlugin({
  id: 'provider-anthropic',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'Anthropic Messages API via @anthropic-ai/sdk',
  contributes: { providers: [anthropicProvider] },
});

export default providerAnthropicPlugin;
