import type { ModelAvailability, ModelSpec } from '@llm-bawt/sdk';
import type { AdminPage } from '../admin/common.js';
import type { BotRecord } from '../repos/bots.js';
import type { RuntimeSetting } from '../repos/settings.js';
import type { ToolCallRecord, TurnLogRecord } from '../repos/turn-logs.js';

// What the routes answer: snake_case like the rest of the API, every field present (null when
// unset), timestamps as ISO 8601 strings.

const iso = (date: Date | string) => new Date(date).toISOString();

/** `{object: 'list', data, next_cursor}`. */
export function listJson<T, J>(page: AdminPage<T>, item: (value: T) => J) {
  return { object: 'list' as const, data: page.items.map(item), next_cursor: page.nextCursor ?? null };
}

export function botJson(bot: BotRecord) {
  return {
    object: 'bot' as const,
    slug: bot.slug,
    name: bot.name,
    description: bot.description ?? null,
    system_prompt: bot.system_prompt,
    requires_memory: bot.requires_memory,
    uses_tools: bot.uses_tools,
    uses_search: bot.uses_search,
    voice_optimized: bot.voice_optimized,
    agent_backend: bot.agent_backend ?? null,
    agent_backend_config: bot.agent_backend_config ?? null,
    default_model: bot.default_model ?? null,
    settings: bot.settings,
    plugins: bot.plugins,
    created_at: iso(bot.createdAt),
    updated_at: iso(bot.updatedAt),
  };
}

export function modelDefinitionJson(spec: ModelSpec, availability: ModelAvailability) {
  return {
    object: 'model_definition' as const,
    alias: spec.alias,
    provider: spec.provider,
    model: spec.model,
    base_url: spec.base_url ?? null,
    api_key_env: spec.api_key_env ?? null,
    context_window: spec.context_window ?? null,
    max_output_tokens: spec.max_output_tokens ?? null,
    tool_support: spec.tool_support ?? null,
    pricing: spec.pricing ?? null,
    fallbacks: spec.fallbacks ?? null,
    options: spec.options ?? null,
    /** Whether the host can call it now; if not, why and how to fix it. */
    usable: availability.usable,
    ...(availability.usable ? {} : { unusable_reason: availability.reason, hint: availability.hint }),
  };
}

export function settingJson(setting: RuntimeSetting) {
  return {
    object: 'setting' as const,
    scope: setting.scope.type,
    bot_id: setting.scope.type === 'bot' ? setting.scope.id : null,
    key: setting.key,
    value: setting.value,
    updated_at: iso(setting.updatedAt),
  };
}

function toolCallJson(call: ToolCallRecord) {
  return {
    id: call.id,
    position: call.position,
    call_id: call.callId ?? null,
    name: call.name,
    arguments: call.arguments ?? null,
    result_preview: call.resultPreview ?? null,
    result_chars: call.resultChars ?? null,
    duration_ms: call.durationMs,
    error: call.error ?? null,
    created_at: iso(call.createdAt),
  };
}

/** A turn log; the text columns (messages, reply, reasoning, outputs) only with `detail`. */
export function turnLogJson(log: TurnLogRecord, detail?: { toolCalls: ToolCallRecord[] }) {
  const base = {
    object: 'turn_log' as const,
    id: log.id,
    created_at: iso(log.createdAt),
    request_id: log.requestId,
    bot_id: log.botId,
    user_id: log.userId,
    session_id: log.sessionId ?? null,
    model: log.model ?? null,
    stream: log.stream,
    status: log.status,
    level: log.level,
    error_code: log.errorCode ?? null,
    error_message: log.errorMessage ?? null,
    finish_reason: log.finishReason ?? null,
    duration_ms: log.durationMs,
    timings: log.timings,
    tools: log.tools,
    usage:
      log.totalTokens == null && log.promptTokens == null
        ? null
        : { prompt_tokens: log.promptTokens ?? null, completion_tokens: log.completionTokens ?? null, total_tokens: log.totalTokens ?? null },
  };
  if (!detail) return base;
  return {
    ...base,
    request_messages: log.requestMessages ?? null,
    response_text: log.responseText ?? null,
    reasoning: log.reasoning ?? null,
    outputs: log.outputs ?? null,
    tool_calls: detail.toolCalls.map(toolCallJson),
  };
}
