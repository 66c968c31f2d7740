import { normalizeTags } from '../text.js';

/** A hint that a fact is also a profile attribute of the user (reference §5.2). @public */
export interface ProfileHint {
  category: string;
  key: string;
  value?: unknown;
}

/** One fact the extractor found. @public */
export interface ExtractedFact {
  content: string;
  tags: string[];
  importance: number;
  profileAttribute?: ProfileHint;
}

/** What the update step decides per fact. @public */
export type ActionKind = 'ADD' | 'UPDATE' | 'DELETE' | 'NONE';

/** One decision of the update step. @public */
export interface ExtractionAction {
  action: ActionKind;
  fact?: ExtractedFact;
  /** The memory an UPDATE or DELETE replaces: a uuid, an 8+ character prefix, or the prompt's `m<n>` label. */
  targetMemoryId?: string;
  reason?: string;
}

const MAX_CONTENT = 500;
const ACTIONS = new Set<ActionKind>(['ADD', 'UPDATE', 'DELETE', 'NONE']);

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function importanceOf(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0.5;
}

function hintOf(value: unknown): ProfileHint | undefined {
  const hint = record(value);
  if (!hint || typeof hint.category !== 'string' || typeof hint.key !== 'string' || hint.key.trim() === '') return undefined;
  return { category: hint.category.trim().toLowerCase(), key: hint.key.trim(), ...(hint.value !== undefined && hint.value !== null ? { value: hint.value } : {}) };
}

/** One fact in the contract's shape, or undefined when it has no usable content. @public */
export function readFact(value: unknown): ExtractedFact | undefined {
  const fact = typeof value === 'string' ? { content: value } : record(value);
  if (!fact) return undefined;
  const content = typeof fact.content === 'string' ? fact.content.trim().replace(/\s+/g, ' ') : typeof fact.fact === 'string' ? fact.fact.trim() : '';
  if (content === '') return undefined;
  const hint = hintOf(fact.profile_attribute ?? fact.profileAttribute);
  return {
    content: content.slice(0, MAX_CONTENT),
    tags: normalizeTags(Array.isArray(fact.tags) ? fact.tags : typeof fact.tags === 'string' ? [fact.tags] : []),
    importance: importanceOf(fact.importance),
    ...(hint ? { profileAttribute: hint } : {}),
  };
}

/**
 * The fact step's output: `{"facts":[...]}` or a bare array. Undefined when the shape is wrong
 * (so the caller can fall back); an empty list when the model found nothing. @public
 */
export function readFacts(value: unknown): ExtractedFact[] | undefined {
  const list = Array.isArray(value) ? value : record(value)?.facts;
  if (!Array.isArray(list)) return undefined;
  return list.map(readFact).filter((fact): fact is ExtractedFact => fact !== undefined);
}

/** The update step's output: `{"actions":[...]}` or a bare array; undefined when the shape is wrong. @public */
export function readActions(value: unknown): ExtractionAction[] | undefined {
  const list = Array.isArray(value) ? value : record(value)?.actions;
  if (!Array.isArray(list)) return undefined;
  const out: ExtractionAction[] = [];
  for (const item of list) {
    const entry = record(item);
    const action = typeof entry?.action === 'string' ? (entry.action.trim().toUpperCase() as ActionKind) : undefined;
    if (!entry || !action || !ACTIONS.has(action)) continue;
    const fact = readFact(entry.fact);
    const target = entry.target_memory_id ?? entry.targetMemoryId ?? entry.memory_id;
    out.push({
      action,
      ...(fact ? { fact } : {}),
      ...(typeof target === 'string' && target.trim() !== '' ? { targetMemoryId: target.trim() } : {}),
      ...(typeof entry.reason === 'string' ? { reason: entry.reason } : {}),
    });
  }
  return out;
}
