/** The seven pipeline stages, in the order every turn runs them. @public */
export const STAGES = [
  'PRE_PROCESS',
  'CONTEXT_BUILD',
  'MEMORY_RETRIEVAL',
  'HISTORY_FILTER',
  'MESSAGE_ASSEMBLY',
  'EXECUTE',
  'POST_PROCESS',
] as const;

/** One pipeline stage. @public */
export type Stage = (typeof STAGES)[number];

/**
 * How a stage runs its hooks:
 * - `waterfall-bail`: in order, each output feeds the next; a hook may end the turn with a reply.
 * - `waterfall`: in order, each output feeds the next.
 * - `parallel-collect`: all at once, results collected; a failing hook is left out.
 * - `exclusive`: exactly one handler runs, wrapped by every `around` hook.
 * - `detached`: all at once after the reply; failures never reach the client.
 * @public
 */
export type HookKind = 'waterfall-bail' | 'waterfall' | 'parallel-collect' | 'exclusive' | 'detached';

/** The fixed hook kind of each stage. @public */
export const STAGE_KIND = {
  PRE_PROCESS: 'waterfall-bail',
  CONTEXT_BUILD: 'waterfall',
  MEMORY_RETRIEVAL: 'parallel-collect',
  HISTORY_FILTER: 'waterfall',
  MESSAGE_ASSEMBLY: 'waterfall',
  EXECUTE: 'exclusive',
  POST_PROCESS: 'detached',
} as const satisfies Record<Stage, HookKind>;

/** Whether a failing hook in a stage fails the request (`fail`) or is logged and skipped. @public */
export const STAGE_ERROR_POLICY = {
  PRE_PROCESS: 'fail',
  CONTEXT_BUILD: 'fail',
  MEMORY_RETRIEVAL: 'isolate',
  HISTORY_FILTER: 'fail',
  MESSAGE_ASSEMBLY: 'fail',
  EXECUTE: 'fail',
  POST_PROCESS: 'isolate',
} as const satisfies Record<Stage, 'fail' | 'isolate'>;

/** Hooks that run outside a request. @public */
export const HOST_HOOKS = ['host:ready', 'host:close', 'bot:start', 'bot:stop'] as const;

/** One host-level hook name. @public */
export type HostHookName = (typeof HOST_HOOKS)[number];
