import { describe, expect, it } from 'vitest';
import { attributeLine, renderSection, valueText } from './render.js';
import { normalizeKey, type ProfileAttribute } from './service.js';

const attribute = (over: Partial<ProfileAttribute>): ProfileAttribute => ({
  id: 'id',
  botId: 'nova',
  entityType: 'user',
  entityId: 'u',
  category: 'fact',
  key: 'name',
  value: 'Ada',
  confidence: 1,
  source: 'explicit',
  sourceMessageId: null,
  createdAt: '',
  updatedAt: '',
  ...over,
});

describe('profile rendering', () => {
  it('writes one line per attribute, naming the category outside facts', () => {
    expect(attributeLine(attribute({}))).toBe('- name: Ada');
    expect(attributeLine(attribute({ category: 'preference', key: 'favourite_food', value: ['ramen', 'pho'] }))).toBe('- preference/favourite food: ramen, pho');
    expect(attributeLine(attribute({ key: 'age', value: 36 }))).toBe('- age: 36');
    expect(attributeLine(attribute({ key: 'x', value: 'y'.repeat(400) }))).toHaveLength('- x: '.length + 300);
  });

  it('shows values as text', () => {
    expect(valueText('a')).toBe('a');
    expect(valueText([1, 'b'])).toBe('1, b');
    expect(valueText({ a: 1 })).toBe('{"a":1}');
    expect(valueText(true)).toBe('true');
  });

  it('titles a section, and leaves it out when empty', () => {
    expect(renderSection('About the user', [attribute({}), attribute({ key: 'age', value: 3 })])).toBe('About the user:\n- name: Ada\n- age: 3');
    expect(renderSection('About the user', [])).toBe('');
  });
});

describe('attribute keys', () => {
  it('normalises to snake_case and refuses empty or long keys', () => {
    expect(normalizeKey(' Favourite Food ')).toBe('favourite_food');
    expect(normalizeKey('pet-name/first')).toBe('pet_name_first');
    expect(normalizeKey('Größe')).toBe('größe');
    expect(normalizeKey('!!!')).toBeUndefined();
    expect(normalizeKey('k'.repeat(65))).toBeUndefined();
  });
});
