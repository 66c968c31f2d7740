export { createScriptedUpstream } from './upstream/server.js';
export type {
  Fault,
  RecordedRequest,
  ScriptedUpstream,
  ScriptedUpstreamOptions,
  ScriptStep,
  ScriptToolCall,
  ScriptUsage,
  UpstreamFormat,
} from './upstream/types.js';
export * from './test-host.js';
export * from './provider-test.js';
