export { default, adaptersPlugin } from './plugin.js';
export { defaultAdapter, dolphinAdapter, pygmalionAdapter } from './adapters.js';
export { createCleaner, SPECIAL_TOKENS, type Cleaner, type CleanerSpec } from './cleaner.js';
export { detectAdapter } from './detect.js';
