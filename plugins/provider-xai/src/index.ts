export { default, providerXaiPlugin } from './plugin.js';
export { xaiProvider } from './provider.js';
