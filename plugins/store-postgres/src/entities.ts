import { EntitySchema } from './mikro.js';

// EntitySchemas of the shared tables. Columns are snake_case versions of the property names
// (MikroORM's default naming); the tables themselves come from migrations/shared.ts.

const uuid = { type: 'uuid', primary: true } as const;
const text = { type: 'text' } as const;
const optionalText = { type: 'text', nullable: true } as const;
const flag = { type: 'boolean' } as const;
const json = { type: 'json', columnType: 'jsonb' } as const;
const optionalJson = { type: 'json', columnType: 'jsonb', nullable: true } as const;
const optionalInt = { type: 'integer', nullable: true } as const;
const timestamp = { type: 'datetime', columnType: 'timestamptz' } as const;

/** A `bots` row. @public */
export interface BotRow {
  id: string;
  slug: string;
  name: string;
  description?: string | null;
  systemPrompt: string;
  requiresMemory: boolean;
  usesTools: boolean;
  usesSearch: boolean;
  voiceOptimized: boolean;
  agentBackend?: string | null;
  agentBackendConfig?: Record<string, unknown> | null;
  defaultModel?: string | null;
  settings: Record<string, unknown>;
  plugins: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** @public */
export const BotEntity = new EntitySchema<BotRow>({
  name: 'LlmbBot',
  tableName: 'bots',
  properties: {
    id: uuid,
    slug: { ...text, unique: true },
    name: text,
    description: optionalText,
    systemPrompt: text,
    requiresMemory: flag,
    usesTools: flag,
    usesSearch: flag,
    voiceOptimized: flag,
    agentBackend: optionalText,
    agentBackendConfig: optionalJson,
    defaultModel: optionalText,
    settings: json,
    plugins: json,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
});

/** A `model_definitions` row. @public */
export interface ModelDefinitionRow {
  id: string;
  alias: string;
  provider: string;
  model: string;
  baseUrl?: string | null;
  apiKeyEnv?: string | null;
  contextWindow?: number | null;
  maxOutputTokens?: number | null;
  toolSupport?: 'native' | 'react' | 'none' | null;
  pricing?: { input_per_mtok?: number; output_per_mtok?: number } | null;
  fallbacks?: string[] | null;
  options?: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

/** @public */
export const ModelDefinitionEntity = new EntitySchema<ModelDefinitionRow>({
  name: 'LlmbModelDefinition',
  tableName: 'model_definitions',
  properties: {
    id: uuid,
    alias: { ...text, unique: true },
    provider: text,
    model: text,
    baseUrl: optionalText,
    apiKeyEnv: optionalText,
    contextWindow: optionalInt,
    maxOutputTokens: optionalInt,
    toolSupport: optionalText,
    pricing: optionalJson,
    fallbacks: optionalJson,
    options: optionalJson,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
});

/** A `runtime_settings` row. @public */
export interface RuntimeSettingRow {
  id: string;
  scopeType: 'global' | 'bot';
  scopeId: string;
  key: string;
  value: unknown;
  updatedAt: Date;
}

/** @public */
export const RuntimeSettingEntity = new EntitySchema<RuntimeSettingRow>({
  name: 'LlmbRuntimeSetting',
  tableName: 'runtime_settings',
  properties: {
    id: uuid,
    scopeType: text,
    scopeId: text,
    key: text,
    value: optionalJson,
    updatedAt: timestamp,
  },
});

/** A `prompt_templates` row. @public */
export interface PromptTemplateRow {
  id: string;
  name: string;
  scopeType: 'global' | 'bot';
  scopeId: string;
  category: string;
  title?: string | null;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

/** @public */
export const PromptTemplateEntity = new EntitySchema<PromptTemplateRow>({
  name: 'LlmbPromptTemplate',
  tableName: 'prompt_templates',
  properties: {
    id: uuid,
    name: text,
    scopeType: text,
    scopeId: text,
    category: text,
    title: optionalText,
    body: text,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
});

/** A `turn_logs` row. @public */
export interface TurnLogRow {
  id: string;
  requestId: string;
  botId: string;
  userId: string;
  sessionId?: string | null;
  model?: string | null;
  stream: boolean;
  status: 'ok' | 'error' | 'aborted';
  errorCode?: string | null;
  errorMessage?: string | null;
  finishReason?: string | null;
  /** `metadata` rows never hold message text; `full` rows do. */
  level: 'metadata' | 'full';
  /** Stage durations in milliseconds. */
  timings: Record<string, number>;
  /** Names of the tools the turn ran, in call order. */
  tools: string[];
  promptTokens?: number | null;
  completionTokens?: number | null;
  totalTokens?: number | null;
  durationMs: number;
  requestMessages?: unknown[] | null;
  responseText?: string | null;
  reasoning?: string | null;
  outputs?: Record<string, unknown> | null;
  createdAt: Date;
}

/** @public */
export const TurnLogEntity = new EntitySchema<TurnLogRow>({
  name: 'LlmbTurnLog',
  tableName: 'turn_logs',
  properties: {
    id: uuid,
    requestId: text,
    botId: text,
    userId: text,
    sessionId: optionalText,
    model: optionalText,
    stream: flag,
    status: text,
    errorCode: optionalText,
    errorMessage: optionalText,
    finishReason: optionalText,
    level: text,
    timings: json,
    tools: json,
    promptTokens: optionalInt,
    completionTokens: optionalInt,
    totalTokens: optionalInt,
    durationMs: { type: 'integer' },
    requestMessages: optionalJson,
    responseText: optionalText,
    reasoning: optionalText,
    outputs: optionalJson,
    createdAt: timestamp,
  },
});

/** A `tool_call_records` row. @public */
export interface ToolCallRecordRow {
  id: string;
  turnLogId: string;
  requestId: string;
  botId: string;
  userId: string;
  position: number;
  callId?: string | null;
  name: string;
  arguments?: string | null;
  resultPreview?: string | null;
  resultChars?: number | null;
  durationMs: number;
  error?: string | null;
  createdAt: Date;
}

/** @public */
export const ToolCallRecordEntity = new EntitySchema<ToolCallRecordRow>({
  name: 'LlmbToolCallRecord',
  tableName: 'tool_call_records',
  properties: {
    id: uuid,
    turnLogId: { type: 'uuid' },
    requestId: text,
    botId: text,
    userId: text,
    position: { type: 'integer' },
    callId: optionalText,
    name: text,
    arguments: optionalText,
    resultPreview: optionalText,
    resultChars: optionalInt,
    durationMs: { type: 'integer' },
    error: optionalText,
    createdAt: timestamp,
  },
});

/** Every shared-table EntitySchema store-postgres registers with the ORM. @public */
export const sharedEntities = [BotEntity, ModelDefinitionEntity, RuntimeSettingEntity, PromptTemplateEntity, TurnLogEntity, ToolCallRecordEntity];
