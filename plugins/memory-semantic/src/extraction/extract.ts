import type { BotConfig, LlmCaller, Logger } from '@llm-bawt/sdk';
import { userEntity, type ProfileService } from '@llm-bawt/plugin-memory-profile';
import { MEMORY_EXTRACTION_MIN_IMPORTANCE, MEMORY_HEURISTIC_SAME_JACCARD } from '../constants.js';
import { ID_PREFIX, UUID } from '../repository.js';
import type { SemanticService } from '../service.js';
import { jaccard } from '../text.js';
import type { Memory, Scope } from '../types.js';
import { readActions, readFacts, type ActionKind, type ExtractedFact, type ExtractionAction } from './contract.js';
import { heuristicFacts, sameSlot, type HeuristicFact } from './heuristic.js';
import { profileAttributeFrom } from './hints.js';
import { parseModelJson } from './json.js';
import { conversationText, factMessages, updateMessages } from './prompts.js';

/** What extraction needs. @public */
export interface ExtractorDeps {
  service: SemanticService;
  /** Active memories of the scope whose text starts with `prefix`. */
  findByPrefix(scope: Scope, prefix: string): Promise<Memory[]>;
  llm?: LlmCaller | undefined;
  profiles?: ProfileService | undefined;
  logger: Logger;
}

/** One finished turn, as extraction reads it. @public */
export interface ExtractionInput {
  scope: Scope;
  bot: BotConfig;
  userText: string;
  assistantText: string;
  sourceMessageIds: string[];
  userMessageId?: string;
  /** `llm` uses the bot's background model and falls back to the heuristic; `heuristic` never calls a model. */
  mode: 'llm' | 'heuristic';
  signal?: AbortSignal;
}

/** One applied decision. @public */
export interface AppliedAction {
  action: ActionKind;
  outcome: 'added' | 'merged' | 'superseded' | 'deleted' | 'none' | 'skipped';
  content?: string;
  memoryId?: string;
  /** The memory an UPDATE or DELETE retired. */
  targetId?: string;
  reason?: string;
}

/** What extraction did after one turn (published on the bus, logged). @public */
export interface ExtractionReport {
  method: 'llm' | 'heuristic';
  /** Why the heuristic ran instead of the model. */
  fallback?: string;
  facts: ExtractedFact[];
  actions: AppliedAction[];
  profile: { category: string; key: string; value: unknown; changed: boolean }[];
}

/** What extraction needs to know about an existing memory. */
type Known = Pick<Memory, 'id' | 'content' | 'tags'>;

const EXISTING_PER_FACT = 5;
const EXISTING_MAX = 20;

async function related(deps: ExtractorDeps, scope: Scope, facts: readonly ExtractedFact[], signal?: AbortSignal): Promise<Known[]> {
  const seen = new Map<string, Known>();
  for (const fact of facts) {
    const { results } = await deps.service.search(scope, fact.content, { limit: EXISTING_PER_FACT, diversity: false, coreFacts: false, minRelevance: 0, ...(signal ? { signal } : {}) });
    for (const memory of results) if (seen.size < EXISTING_MAX) seen.set(memory.id, memory);
  }
  return [...seen.values()];
}

/** Maps a target the model named (`m2`, a uuid, a prefix) to an id among the memories it was shown. */
function targetOf(target: string | undefined, shown: readonly Known[]): string | undefined {
  if (!target) return undefined;
  const label = /^m(\d+)$/i.exec(target);
  if (label) return shown[Number(label[1]) - 1]?.id;
  if (UUID.test(target)) return shown.find((m) => m.id === target.toLowerCase())?.id;
  if (ID_PREFIX.test(target)) {
    const matches = shown.filter((m) => m.id.startsWith(target.toLowerCase()));
    return matches.length === 1 ? matches[0]?.id : undefined;
  }
  return undefined;
}

/** The extracted fact an action's (possibly reworded) fact came from, for its profile hint. */
function sourceFact(content: string, facts: readonly ExtractedFact[]): ExtractedFact | undefined {
  let best: ExtractedFact | undefined;
  let bestScore = 0.3;
  for (const fact of facts) {
    const score = jaccard(content, fact.content);
    if (score >= bestScore) [best, bestScore] = [fact, score];
  }
  return best;
}

async function llmFacts(deps: ExtractorDeps, input: ExtractionInput): Promise<{ facts: ExtractedFact[] } | { fallback: string }> {
  const llm = deps.llm;
  if (!llm?.modelFor(input.bot)) return { fallback: 'no usable background model' };
  const conversation = conversationText([
    { role: 'user', text: input.userText },
    ...(input.assistantText ? [{ role: 'assistant' as const, text: input.assistantText }] : []),
  ]);
  try {
    const reply = await llm.complete({ bot: input.bot, messages: factMessages(conversation), params: { temperature: 0, max_tokens: 1000 }, ...(input.signal ? { signal: input.signal } : {}) });
    const facts = readFacts(parseModelJson(reply.text));
    return facts ? { facts } : { fallback: 'the fact reply was not the JSON contract' };
  } catch (error) {
    return { fallback: `the background model failed: ${(error as Error).message}` };
  }
}

async function llmActions(deps: ExtractorDeps, input: ExtractionInput, facts: ExtractedFact[], shown: Known[]): Promise<ExtractionAction[] | undefined> {
  if (shown.length === 0) return facts.map((fact) => ({ action: 'ADD', fact }));
  try {
    const reply = await (deps.llm as LlmCaller).complete({
      bot: input.bot,
      messages: updateMessages(facts, shown.map((m, i) => ({ label: `m${i + 1}`, content: m.content, tags: m.tags }))),
      params: { temperature: 0, max_tokens: 1000 },
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return readActions(parseModelJson(reply.text));
  } catch (error) {
    deps.logger.warn(`memory update step failed, deciding by word overlap: ${(error as Error).message}`);
    return undefined;
  }
}

/** The fallback decision: NONE when an existing memory says nearly the same (Jaccard > 0.85), else ADD. */
function overlapActions(facts: readonly ExtractedFact[], shown: readonly Known[]): ExtractionAction[] {
  return facts.map((fact) =>
    shown.some((m) => jaccard(m.content, fact.content) > MEMORY_HEURISTIC_SAME_JACCARD) ? { action: 'NONE', fact, reason: 'already known' } : { action: 'ADD', fact },
  );
}

/** Heuristic facts with one value per user (name, location, ...) replace the slot's old memory. */
async function slotActions(deps: ExtractorDeps, scope: Scope, facts: readonly HeuristicFact[], signal?: AbortSignal): Promise<{ actions: ExtractionAction[]; shown: Known[] }> {
  const actions: ExtractionAction[] = [];
  const shown: Known[] = [];
  for (const fact of facts) {
    if (!fact.slot) {
      const near = await related(deps, scope, [fact], signal);
      actions.push(...overlapActions([fact], near));
      continue;
    }
    const holders = (await deps.findByPrefix(scope, fact.slot.split('%')[0] as string)).filter((m) => sameSlot(fact.slot as string, m.content));
    if (holders.some((m) => m.content.toLowerCase() === fact.content.toLowerCase())) {
      actions.push({ action: 'NONE', fact, reason: 'already known' });
      continue;
    }
    const [first, ...rest] = holders;
    if (!first) {
      actions.push({ action: 'ADD', fact });
      continue;
    }
    shown.push(first, ...rest);
    actions.push({ action: 'UPDATE', fact, targetMemoryId: `m${shown.indexOf(first) + 1}`, reason: 'replaces the old value' });
    for (const old of rest) actions.push({ action: 'DELETE', targetMemoryId: `m${shown.indexOf(old) + 1}`, reason: 'replaced by a new value' });
  }
  return { actions, shown };
}

async function apply(deps: ExtractorDeps, input: ExtractionInput, actions: readonly ExtractionAction[], shown: readonly Known[]): Promise<AppliedAction[]> {
  const { scope } = input;
  const applied: AppliedAction[] = [];
  const storeInput = (fact: ExtractedFact) => ({ content: fact.content, tags: fact.tags, importance: fact.importance, sourceMessageIds: input.sourceMessageIds });
  for (const action of actions) {
    const reason = action.reason ? { reason: action.reason } : {};
    const target = targetOf(action.targetMemoryId, shown);
    if (action.action === 'NONE') {
      applied.push({ action: 'NONE', outcome: 'none', ...(action.fact ? { content: action.fact.content } : {}), ...reason });
    } else if (action.action === 'DELETE') {
      if (!target) {
        applied.push({ action: 'DELETE', outcome: 'skipped', reason: `unknown target ${action.targetMemoryId ?? '(none)'}` });
        continue;
      }
      const retired = await deps.service.delete(scope, target).catch(() => undefined);
      applied.push({ action: 'DELETE', outcome: retired ? 'deleted' : 'skipped', targetId: target, ...reason });
    } else if (!action.fact) {
      applied.push({ action: action.action, outcome: 'skipped', reason: 'no fact given' });
    } else if (action.action === 'UPDATE' && target) {
      const result = await deps.service.supersede(scope, target, storeInput(action.fact)).catch(() => undefined);
      if (result) applied.push({ action: 'UPDATE', outcome: 'superseded', content: action.fact.content, memoryId: result.replacement.id, targetId: target, ...reason });
      else applied.push({ action: 'UPDATE', outcome: 'skipped', content: action.fact.content, targetId: target, reason: 'the target changed meanwhile' });
    } else {
      // ADD, or an UPDATE whose target the model got wrong: keep the fact rather than lose it.
      const result = await deps.service.store(scope, storeInput(action.fact), input.signal ? { signal: input.signal } : {});
      applied.push({ action: action.action, outcome: result.action, content: action.fact.content, memoryId: result.memory.id, ...reason });
    }
  }
  return applied;
}

async function writeProfile(deps: ExtractorDeps, input: ExtractionInput, facts: readonly ExtractedFact[], applied: readonly AppliedAction[]): Promise<ExtractionReport['profile']> {
  if (!deps.profiles) return [];
  const written: ExtractionReport['profile'] = [];
  for (const action of applied) {
    if (!['added', 'merged', 'superseded'].includes(action.outcome) || !action.content) continue;
    const fact = sourceFact(action.content, facts);
    const attribute = fact && profileAttributeFrom(fact, input.userMessageId);
    if (!attribute) continue;
    const result = await deps.profiles.set(userEntity(input.scope.botId, input.scope.userId), attribute);
    written.push({ category: attribute.category, key: result.attribute.key, value: result.attribute.value, changed: result.changed });
  }
  return written;
}

/**
 * Fact extraction after one turn (reference §5.2): the fact step and, when related memories
 * exist, the update step through the bot's background model; ADD stores (with dedup), UPDATE
 * supersedes the target, DELETE retires it, NONE does nothing. Without a usable model, or when
 * it fails or answers outside the contract, the heuristic patterns run instead. Facts with a
 * profile hint write user attributes when a profile store is there. @public
 */
export async function extractFacts(deps: ExtractorDeps, input: ExtractionInput): Promise<ExtractionReport> {
  let method: ExtractionReport['method'] = 'heuristic';
  let fallback: string | undefined = input.mode === 'heuristic' ? 'extraction mode is heuristic' : undefined;
  let facts: ExtractedFact[] | undefined;
  if (input.mode === 'llm') {
    const found = await llmFacts(deps, input);
    if ('facts' in found) {
      method = 'llm';
      facts = found.facts.filter((f) => f.importance >= MEMORY_EXTRACTION_MIN_IMPORTANCE);
    } else {
      fallback = found.fallback;
    }
  }
  let actions: ExtractionAction[];
  let shown: Known[];
  if (facts) {
    shown = facts.length > 0 ? await related(deps, input.scope, facts, input.signal) : [];
    actions = facts.length > 0 ? ((await llmActions(deps, input, facts, shown)) ?? overlapActions(facts, shown)) : [];
  } else {
    facts = heuristicFacts(input.userText).filter((f) => f.importance >= MEMORY_EXTRACTION_MIN_IMPORTANCE);
    ({ actions, shown } = await slotActions(deps, input.scope, facts as HeuristicFact[], input.signal));
  }
  const applied = await apply(deps, input, actions, shown);
  const profile = await writeProfile(deps, input, facts, applied);
  return { method, ...(fallback ? { fallback } : {}), facts: facts.map(({ content, tags, importance, profileAttribute }) => ({ content, tags, importance, ...(profileAttribute ? { profileAttribute } : {}) })), actions: applied, profile };
}
