import type { ChatMessage } from '@llm-bawt/sdk';
import type { ExtractedFact } from './contract.js';

/** The fact-extraction instructions (reference §5.2, `memory.extraction.fact`). @public */
export const FACT_EXTRACTION_PROMPT = `You are a strict organizer of personal facts. Read the conversation and extract only persistent facts that the USER states about themselves or their life.

Rules:
- Extract from lines marked [USER SAID] only. Never extract anything from [ASSISTANT/BOT SAID - IGNORE FOR EXTRACTION].
- Most messages contain no lasting fact: greetings, small talk, moods of the moment, role-play, questions, and facts the user is only recalling. Then return {"facts": []}.
- Write each fact in the third person, starting with "User" (e.g. "User lives in Lisbon"). Combine related details into one fact.
- tags: one or more of preference, fact, event, plan, professional, health, relationship, misc.
- importance: 0.0-1.0. The user's name is always 1.0. Lasting identity facts 0.8-0.9, preferences 0.6-0.8, passing details below 0.5.
- Add "profile_attribute" only for core identity: name, age, occupation, location, family, pets, chronic health, core preferences and interests. Never for projects, tools or tasks. Give category (fact, preference or interest), key (snake_case) and value.

Answer with JSON only, in this shape:
{"facts":[{"content":"User works as a nurse","tags":["professional"],"importance":0.8,"profile_attribute":{"category":"fact","key":"occupation","value":"nurse"}}]}`;

/** The update instructions (reference §5.2, `memory.extraction.update`). @public */
export const MEMORY_UPDATE_PROMPT = `You maintain a long-term memory about a user. You get NEW FACTS and the EXISTING MEMORIES most related to them (each with an id such as m1).
For every new fact choose one action:
- ADD: the fact is new information. Keep similar-but-different facts as ADD.
- UPDATE: the fact refines or corrects one existing memory; give its id as target_memory_id and the full new wording in fact. Be conservative with UPDATE.
- DELETE: the fact contradicts an existing memory that is no longer true (for example, a move makes the old location false); give the contradicted memory's id as target_memory_id. Add the new fact with its own ADD action.
- NONE: the fact is already known.

Answer with JSON only, in this shape:
{"actions":[{"action":"ADD|UPDATE|DELETE|NONE","fact":{"content":"...","tags":["..."],"importance":0.8},"target_memory_id":"m1","reason":"..."}]}`;

/** The conversation as the fact step reads it: user lines to learn from, bot lines as context only. @public */
export function conversationText(turns: readonly { role: 'user' | 'assistant'; text: string }[]): string {
  return turns.map((t) => (t.role === 'user' ? `[USER SAID]: ${t.text}` : `[ASSISTANT/BOT SAID - IGNORE FOR EXTRACTION]: ${t.text}`)).join('\n');
}

/** Messages of the fact step. @public */
export function factMessages(conversation: string): ChatMessage[] {
  return [
    { role: 'system', content: FACT_EXTRACTION_PROMPT },
    { role: 'user', content: `Conversation:\n${conversation}\n\nExtract the facts as JSON.` },
  ];
}

/** Messages of the update step; existing memories carry short labels (m1, m2, ...). @public */
export function updateMessages(facts: readonly ExtractedFact[], existing: readonly { label: string; content: string; tags: readonly string[] }[]): ChatMessage[] {
  const payload = {
    new_facts: facts.map((f) => ({ content: f.content, tags: f.tags, importance: f.importance })),
    existing_memories: existing.map((m) => ({ id: m.label, content: m.content, tags: m.tags })),
  };
  return [
    { role: 'system', content: MEMORY_UPDATE_PROMPT },
    { role: 'user', content: JSON.stringify(payload, null, 2) },
  ];
}
