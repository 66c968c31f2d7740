import type { AttributeInput } from '@llm-bawt/plugin-memory-profile';
import { MEMORY_PROFILE_ATTRIBUTE_MIN_IMPORTANCE } from '../constants.js';
import type { ExtractedFact } from './contract.js';

/** Keys an extracted fact may write as a profile attribute: core identity only (reference §5.2). @public */
export const PROFILE_KEY_ALLOWLIST: ReadonlySet<string> = new Set([
  'name', 'age', 'location', 'occupation', 'employer', 'family', 'pets', 'relationship_status', 'gender', 'pronouns',
  'nationality', 'languages', 'timezone', 'allergies', 'health_conditions', 'dietary_restrictions', 'diet',
  'communication_style', 'values', 'boundaries', 'hobbies', 'interests', 'favorite_genres', 'gaming',
]);

const KEY_ALIASES: Readonly<Record<string, string>> = {
  job: 'occupation', profession: 'occupation', work: 'occupation', city: 'location', home: 'location', residence: 'location',
  allergy: 'allergies', pet: 'pets', language: 'languages', hobby: 'hobbies', interest: 'interests', health: 'health_conditions',
  employer_name: 'employer', company: 'employer', first_name: 'name', full_name: 'name',
};

const CATEGORIES = new Set(['fact', 'preference', 'interest']);
// Projects, tools and tasks are never identity (reference §5.2).
const PROJECT_LIKE = /\b(?:project|repo(?:sitory)?|codebase|tool(?:ing)?|script|app|application|library|framework|api|bug|ticket|task|feature|deploy\w*|server|database|sprint|pull request)\b/i;

function canonicalKey(key: string): string {
  const snake = key.trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/[^a-z0-9_]/g, '');
  return KEY_ALIASES[snake] ?? snake;
}

/**
 * The profile attribute an extracted fact may write, or undefined: the fact needs a hint, an
 * importance of at least 0.7, an allow-listed key, and nothing project- or tool-like. @public
 */
export function profileAttributeFrom(fact: ExtractedFact, sourceMessageId?: string): AttributeInput | undefined {
  const hint = fact.profileAttribute;
  if (!hint || fact.importance < MEMORY_PROFILE_ATTRIBUTE_MIN_IMPORTANCE) return undefined;
  const key = canonicalKey(hint.key);
  if (!PROFILE_KEY_ALLOWLIST.has(key)) return undefined;
  const value = hint.value ?? fact.content;
  const valueText = typeof value === 'string' ? value : JSON.stringify(value);
  if (PROJECT_LIKE.test(valueText) || PROJECT_LIKE.test(fact.content)) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return {
    category: (CATEGORIES.has(hint.category) ? hint.category : 'fact') as AttributeInput['category'],
    key,
    value,
    confidence: fact.importance,
    source: 'inferred',
    ...(sourceMessageId ? { sourceMessageId } : {}),
  };
}
