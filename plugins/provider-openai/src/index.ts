export { default, providerOpenaiPlugin } from './plugin.js';
export { openaiProvider } from './provider.js';
