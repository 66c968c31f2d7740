import type { BotConfig, HostApi, ModelSpec } from '@llm-bawt/sdk';

/** One entry of `GET /v1/models`: OpenAI's fields plus llm-bawt's `type`, `model_id`, ... */
export interface ModelInfo {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  type: string;
  model_id: string;
  description?: string;
  pricing?: { input?: number; output?: number };
}

function aliasInfo(spec: ModelSpec, created: number): ModelInfo {
  const info: ModelInfo = { id: spec.alias, object: 'model', created, owned_by: 'llm-bawt', type: spec.provider, model_id: spec.model };
  if (spec.pricing) info.pricing = { input: spec.pricing.input_per_mtok, output: spec.pricing.output_per_mtok };
  return info;
}

function agentInfo(bot: BotConfig, created: number): ModelInfo {
  const info: ModelInfo = { id: bot.slug, object: 'model', created, owned_by: 'llm-bawt-agent', type: 'agent_backend', model_id: bot.agent_backend as string };
  if (bot.description) info.description = bot.description;
  return info;
}

/** Usable aliases, then bots with an agent backend (an alias of the same name wins). */
export function listModels(host: HostApi, created: number): ModelInfo[] {
  const out: ModelInfo[] = [];
  const ids = new Set<string>();
  for (const spec of host.models.list()) {
    if (!host.models.availability(spec.alias).usable) continue;
    out.push(aliasInfo(spec, created));
    ids.add(spec.alias);
  }
  for (const bot of host.bots.list()) {
    if (bot.agent_backend && !ids.has(bot.slug)) out.push(agentInfo(bot, created));
  }
  return out;
}

/** One model by id, with the same rules as the list. */
export function findModel(host: HostApi, id: string, created: number): ModelInfo | undefined {
  const spec = host.models.get(id);
  if (spec && host.models.availability(id).usable) return aliasInfo(spec, created);
  const bot = host.bots.get(id);
  if (bot?.agent_backend && !spec) return agentInfo(bot, created);
  return undefined;
}
