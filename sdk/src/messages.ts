/** OpenAI-style message roles. @public */
export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** A multimodal content part (OpenAI chat-completions shape). @public */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
  | { type: 'input_audio'; input_audio: { data: string; format: string } }
  | { type: 'file'; file: Record<string, unknown> };

/** A tool call the model asked for. @public */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One chat message as it travels through the pipeline. @public */
export interface ChatMessage {
  role: Role;
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** Model reasoning kept beside the answer (never sent back upstream as content). */
  reasoning_content?: string;
}

/** A function tool offered to the model, in OpenAI's shape. @public */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

/** Token usage of one turn. @public */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens?: number;
  cache_creation_tokens?: number;
  reasoning_tokens?: number;
}

/** Why generation stopped. @public */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

/**
 * One event of a turn's output stream. EXECUTE yields these; `onChunk` hooks see each one;
 * transports turn them into wire frames.
 * @public
 */
export type TurnEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call_delta'; index: number; id?: string; name?: string; arguments?: string }
  | { type: 'tool_start'; id: string; name: string; arguments: string }
  | { type: 'tool_end'; id: string; name: string; result: string; error?: string; durationMs: number }
  | { type: 'usage'; usage: Usage }
  | { type: 'warning'; message: string; code?: string }
  | { type: 'finish'; reason: FinishReason; model?: string };
