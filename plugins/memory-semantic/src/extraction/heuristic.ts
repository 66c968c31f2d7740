import { keywordImportance } from '../text.js';
import type { ExtractedFact } from './contract.js';

/** A heuristic fact; `slot` marks facts of which a user has only one (name, location, ...). @public */
export interface HeuristicFact extends ExtractedFact {
  /** Existing memories whose text starts like this hold the old value of the same slot. */
  slot?: string;
}

const PHRASE = String.raw`([^.,!?;:\n]{1,80})`;
const NAME = String.raw`([\p{L}][\p{L}'’-]*(?:\s+[\p{L}][\p{L}'’-]*){0,2})`;
// Where a captured phrase stops: the next clause.
const CLAUSE_END = /\s+(?:and|but|because|so|which|who|though|although|since|when|while|if|or|i|i'm|im|my|we)\b.*$/i;
const VAGUE_OBJECT = /^(?:it|that|this|you|them|him|her|those|these|to|when|how|what)\b/i;
const PETS = 'dog|cat|puppy|kitten|rabbit|hamster|parrot|bird|horse|turtle|snake|fish|guinea pig';

const clean = (phrase: string) => phrase.replace(CLAUSE_END, '').trim();
const titled = (name: string) => name.replace(/(^|\s)(\p{Ll})/gu, (_m, space: string, letter: string) => space + letter.toUpperCase());

interface Template {
  pattern: RegExp;
  build(match: RegExpExecArray, sentence: string): HeuristicFact | undefined;
}

const TEMPLATES: Template[] = [
  {
    pattern: new RegExp(String.raw`\b(?:my name is|my name's|i am called|i'm called|call me)\s+${NAME}`, 'iu'),
    build(match) {
      const raw = clean(match[1] ?? '');
      if (!raw || (/call me/i.test(match[0]) && !/^\p{Lu}/u.test(raw))) return undefined;
      const name = titled(raw);
      return { content: `User's name is ${name}`, tags: ['fact'], importance: 1, profileAttribute: { category: 'fact', key: 'name', value: name }, slot: "User's name is " };
    },
  },
  {
    pattern: /\bi(?:'m| am)\s+(\d{1,3})\s*(?:years?|yrs?)\s*old\b/i,
    build(match) {
      const age = Number(match[1]);
      return { content: `User is ${age} years old`, tags: ['fact'], importance: 0.8, profileAttribute: { category: 'fact', key: 'age', value: age }, slot: 'User is %years old' };
    },
  },
  {
    pattern: new RegExp(String.raw`\bi(?:'ve| have)?\s+(?:just\s+|recently\s+)?moved\s+to\s+${PHRASE}`, 'i'),
    build: (match) => location(clean(match[1] ?? ''), 0.85),
  },
  {
    pattern: new RegExp(String.raw`\bi\s+(?:now\s+|currently\s+)?(?:live|am living|'m living)\s+in\s+${PHRASE}`, 'i'),
    build: (match) => location(clean(match[1] ?? ''), 0.8),
  },
  {
    pattern: new RegExp(String.raw`\bi(?:'m| am)\s+(?:originally\s+)?from\s+${PHRASE}`, 'i'),
    build(match) {
      const place = clean(match[1] ?? '');
      return place ? { content: `User is from ${place}`, tags: ['fact'], importance: 0.6 } : undefined;
    },
  },
  {
    pattern: new RegExp(String.raw`\b(?:i\s+work\s+as|my\s+job\s+is|i'm\s+working\s+as)\s+(?:an?\s+)?${PHRASE}`, 'i'),
    build(match) {
      const job = clean(match[1] ?? '');
      return job ? { content: `User works as ${job}`, tags: ['professional'], importance: 0.8, profileAttribute: { category: 'fact', key: 'occupation', value: job }, slot: 'User works as ' } : undefined;
    },
  },
  {
    pattern: new RegExp(String.raw`\bi\s+work\s+(?:at|for)\s+${PHRASE}`, 'i'),
    build(match) {
      const employer = clean(match[1] ?? '');
      return employer ? { content: `User works at ${employer}`, tags: ['professional'], importance: 0.8, profileAttribute: { category: 'fact', key: 'employer', value: employer }, slot: 'User works at ' } : undefined;
    },
  },
  {
    pattern: new RegExp(String.raw`\bi(?:'m| am)\s+(?:severely\s+|very\s+)?allergic\s+to\s+${PHRASE}`, 'i'),
    build(match) {
      const allergen = clean(match[1] ?? '');
      return allergen ? { content: `User is allergic to ${allergen}`, tags: ['health'], importance: 0.9, profileAttribute: { category: 'fact', key: 'allergies', value: allergen } } : undefined;
    },
  },
  {
    pattern: new RegExp(String.raw`\bi\s+have\s+an?\s+(${PETS})(?:\s+(?:named|called)\s+([\p{L}][\p{L}'’-]*))?`, 'iu'),
    build(match) {
      const pet = match[2] ? `a ${match[1]?.toLowerCase()} named ${titled(match[2])}` : `a ${match[1]?.toLowerCase()}`;
      return { content: `User has ${pet}`, tags: ['relationship'], importance: 0.8, profileAttribute: { category: 'fact', key: 'pets', value: pet } };
    },
  },
  {
    pattern: new RegExp(String.raw`\bmy\s+birthday\s+is\s+(?:on\s+)?${PHRASE}`, 'i'),
    build(match) {
      const day = clean(match[1] ?? '');
      return day ? { content: `User's birthday is ${day}`, tags: ['fact'], importance: 0.8, slot: "User's birthday is " } : undefined;
    },
  },
  {
    pattern: new RegExp(String.raw`\bi\s+(?:really\s+|absolutely\s+|just\s+)?(hate|dislike|can't stand|cannot stand|don't like|do not like)\s+${PHRASE}`, 'i'),
    build(match, sentence) {
      const thing = clean(match[2] ?? '');
      if (!thing || VAGUE_OBJECT.test(thing)) return undefined;
      return { content: `User dislikes ${thing}`, tags: ['preference'], importance: keywordImportance(sentence) };
    },
  },
  {
    pattern: new RegExp(String.raw`\bi\s+(?:really\s+|absolutely\s+|just\s+)?(love|adore|like|enjoy)\s+${PHRASE}`, 'i'),
    build(match, sentence) {
      const thing = clean(match[2] ?? '');
      if (!thing || VAGUE_OBJECT.test(thing)) return undefined;
      return { content: `User ${(match[1] ?? 'like').toLowerCase()}s ${thing}`, tags: ['preference'], importance: keywordImportance(sentence) };
    },
  },
];

function location(place: string, importance: number): HeuristicFact | undefined {
  if (!place) return undefined;
  return { content: `User lives in ${place}`, tags: ['fact'], importance, profileAttribute: { category: 'fact', key: 'location', value: place }, slot: 'User lives in ' };
}

/**
 * Facts the fallback finds in what the user said, by pattern: name, age, where they live or
 * moved to, where they are from, job and employer, allergies, pets, birthday, likes and
 * dislikes. Questions are skipped (asking is not telling). @public
 */
export function heuristicFacts(text: string): HeuristicFact[] {
  const facts: HeuristicFact[] = [];
  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    const trimmed = sentence.trim();
    if (trimmed === '' || trimmed.endsWith('?')) continue;
    for (const template of TEMPLATES) {
      const match = template.pattern.exec(trimmed);
      if (!match) continue;
      const fact = template.build(match, trimmed);
      if (fact && !facts.some((f) => f.content.toLowerCase() === fact.content.toLowerCase())) facts.push(fact);
    }
  }
  return facts;
}

/** True when an existing memory holds the same slot as a heuristic fact (e.g. an older location). @public */
export function sameSlot(slot: string, content: string): boolean {
  if (slot.includes('%')) {
    const [head = '', tail = ''] = slot.split('%');
    return content.toLowerCase().startsWith(head.toLowerCase()) && content.toLowerCase().includes(tail.toLowerCase());
  }
  return content.toLowerCase().startsWith(slot.toLowerCase());
}
