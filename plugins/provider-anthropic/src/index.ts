export { default, providerAnthropicPlugin } from './plugin.js';
export { anthropicProvider } from './provider.js';
