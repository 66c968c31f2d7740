import { describe, expect, it } from 'vitest';
import { readActions, readFacts } from './contract.js';
import { heuristicFacts, sameSlot } from './heuristic.js';
import { profileAttributeFrom } from './hints.js';
import { parseModelJson } from './json.js';

describe('parseModelJson (tolerant)', () => {
  it('reads plain, fenced and embedded JSON', () => {
    expect(parseModelJson('{"facts":[]}')).toEqual({ facts: [] });
    expect(parseModelJson('Here you go:\n```json\n{"facts": [{"content": "User likes tea"}]}\n```\nAnything else?')).toEqual({ facts: [{ content: 'User likes tea' }] });
    expect(parseModelJson('Sure. {"actions": [{"action": "NONE"}]} Hope that helps')).toEqual({ actions: [{ action: 'NONE' }] });
    expect(parseModelJson('<think>the user said {hmm}</think>[1, 2]')).toEqual([1, 2]);
  });

  it('repairs trailing commas, single quotes, bare keys, Python literals and a cut-off end', () => {
    expect(parseModelJson("{facts: [{'content': 'User likes tea', importance: 0.7,},],}")).toEqual({ facts: [{ content: 'User likes tea', importance: 0.7 }] });
    expect(parseModelJson('{"ok": True, "none": None}')).toEqual({ ok: true, none: null });
    expect(parseModelJson('{"facts": [{"content": "User likes tea", "importance": 0.7}, {"content": "User')).toEqual({
      facts: [{ content: 'User likes tea', importance: 0.7 }, { content: 'User' }],
    });
  });

  it('gives up on prose', () => {
    expect(parseModelJson('I cannot help with that.')).toBeUndefined();
    expect(parseModelJson('')).toBeUndefined();
  });
});

describe('the JSON contract', () => {
  it('reads facts, clamping importance and normalising tags', () => {
    expect(
      readFacts({
        facts: [
          { content: '  User   works as a nurse ', tags: ['Professional'], importance: '0.8', profile_attribute: { category: 'Fact', key: 'occupation', value: 'nurse' } },
          { content: 'User likes tea', importance: 7 },
          { content: '' },
          'User has a cat',
        ],
      }),
    ).toEqual([
      { content: 'User works as a nurse', tags: ['professional'], importance: 0.8, profileAttribute: { category: 'fact', key: 'occupation', value: 'nurse' } },
      { content: 'User likes tea', tags: ['misc'], importance: 1 },
      { content: 'User has a cat', tags: ['misc'], importance: 0.5 },
    ]);
    expect(readFacts([])).toEqual([]);
    expect(readFacts({ nope: 1 })).toBeUndefined();
  });

  it('reads actions, upper-casing and dropping unknown ones', () => {
    expect(
      readActions({
        actions: [
          { action: 'add', fact: { content: 'User lives in Paris', tags: ['fact'], importance: 0.8 } },
          { action: 'DELETE', target_memory_id: 'm1', reason: 'moved' },
          { action: 'MERGE' },
          { action: 'NONE', fact: { content: 'x' } },
        ],
      }),
    ).toEqual([
      { action: 'ADD', fact: { content: 'User lives in Paris', tags: ['fact'], importance: 0.8 } },
      { action: 'DELETE', targetMemoryId: 'm1', reason: 'moved' },
      { action: 'NONE', fact: { content: 'x', tags: ['misc'], importance: 0.5 } },
    ]);
    expect(readActions('nope')).toBeUndefined();
  });
});

describe('heuristic fallback', () => {
  it('finds identity facts with profile hints and slots', () => {
    expect(heuristicFacts("Hi! My name is ada lovelace and I live in London. I'm 36 years old.")).toEqual([
      { content: "User's name is Ada Lovelace", tags: ['fact'], importance: 1, profileAttribute: { category: 'fact', key: 'name', value: 'Ada Lovelace' }, slot: "User's name is " },
      { content: 'User lives in London', tags: ['fact'], importance: 0.8, profileAttribute: { category: 'fact', key: 'location', value: 'London' }, slot: 'User lives in ' },
      { content: 'User is 36 years old', tags: ['fact'], importance: 0.8, profileAttribute: { category: 'fact', key: 'age', value: 36 }, slot: 'User is %years old' },
    ]);
  });

  it('scores likes and dislikes by keyword and skips vague objects and questions', () => {
    expect(heuristicFacts('I love hiking in the Alps. I like it. Do you like tea? I hate cilantro, honestly.')).toEqual([
      { content: 'User loves hiking in the Alps', tags: ['preference'], importance: 0.85 },
      { content: 'User dislikes cilantro', tags: ['preference'], importance: 0.85 },
    ]);
    expect(heuristicFacts("I'd like a coffee")).toEqual([]);
    expect(heuristicFacts('Call me later')).toEqual([]);
    expect(heuristicFacts('Call me Grace')[0]?.content).toBe("User's name is Grace");
  });

  it('turns a move into the location slot, and knows jobs, allergies and pets', () => {
    expect(heuristicFacts("I've just moved to Paris!")[0]).toMatchObject({ content: 'User lives in Paris', importance: 0.85, slot: 'User lives in ' });
    expect(heuristicFacts('I work as a nurse at night')[0]).toMatchObject({ content: 'User works as nurse at night', tags: ['professional'] });
    expect(heuristicFacts("I'm allergic to peanuts")[0]).toMatchObject({ content: 'User is allergic to peanuts', tags: ['health'], importance: 0.9 });
    expect(heuristicFacts('I have a dog named rex')[0]).toMatchObject({ content: 'User has a dog named Rex', profileAttribute: { key: 'pets', value: 'a dog named Rex' } });
  });

  it('matches slots by their prefix', () => {
    expect(sameSlot('User lives in ', 'user lives in Berlin')).toBe(true);
    expect(sameSlot('User lives in ', 'User likes Berlin')).toBe(false);
    expect(sameSlot('User is %years old', 'User is 35 years old')).toBe(true);
    expect(sameSlot('User is %years old', 'User is tall')).toBe(false);
  });
});

const fact = (key: string, importance = 0.8, value: unknown = 'x', content = 'User x') => ({ content, tags: ['fact'], importance, profileAttribute: { category: 'fact', key, value } });

describe('profile hints', () => {
  it('writes allow-listed identity keys at importance 0.7 or more, as inferred', () => {
    expect(profileAttributeFrom(fact('occupation', 0.8, 'nurse'), 'msg-1')).toEqual({ category: 'fact', key: 'occupation', value: 'nurse', confidence: 0.8, source: 'inferred', sourceMessageId: 'msg-1' });
    expect(profileAttributeFrom(fact('Job', 0.9, 'nurse'))?.key).toBe('occupation');
    expect(profileAttributeFrom(fact('occupation', 0.69, 'nurse'))).toBeUndefined();
    expect(profileAttributeFrom(fact('favorite_project', 0.9))).toBeUndefined();
    expect(profileAttributeFrom(fact('occupation', 0.9, 'maintains the billing repo'))).toBeUndefined();
    expect(profileAttributeFrom({ content: 'User likes tea', tags: [], importance: 0.9 })).toBeUndefined();
  });
});
