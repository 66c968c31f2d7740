import { definePlugin } from '@llm-bawt/sdk';
import { xaiProvider } from './provider.js';

/** Contributes the `xai` model provider. @public */
export const providerXaiPlugin = definePlugin({
  id: 'provider-xai',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'xAI Grok through the Responses API',
  contributes: { providers: [xaiProvider] },
});

export default providerXaiPlugin;
