export { default, transportOpenaiPlugin } from './plugin.js';
export { openaiTransport } from './transport.js';
export { transportOpenaiConfigSchema, type TransportOpenaiConfig } from './config.js';
export { transportOpenaiRef, type TransportOpenaiState } from './state.js';
