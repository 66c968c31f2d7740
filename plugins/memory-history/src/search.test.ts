import { describe, expect, it } from 'vitest';
import { likePattern, tsQueryOf } from './search.js';

describe('history search queries', () => {
  it('ORs the content words, without conversational filler', () => {
    expect(tsQueryOf('Do you remember what we talked about the Lisbon trip?')).toBe('do | you | what | we | about | the | lisbon | trip');
    expect(tsQueryOf('TASK-241')).toBe('task | 241');
    expect(tsQueryOf('remember?')).toBeUndefined();
  });

  it('takes LIKE wildcards literally', () => {
    expect(likePattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
