import { definePlugin } from '@llm-bawt/sdk';
import { openaiProvider } from './provider.js';

/** Contributes the `openai` and `openai-compatible` model providers. @public */
export const providerOpenaiPlugin = definePlugin({
  id: 'provider-openai',
  version: '0.1.0',
  sdk: '^0.1.0',
  description: 'OpenAI and OpenAI-compatible servers via the official openai SDK',
  contributes: { providers: [openaiProvider] },
});

export default providerOpenaiPlugin;
