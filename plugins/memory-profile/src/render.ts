import type { ProfileAttribute } from './service.js';

/** Titles of the two prompt sections. @public */
export const SECTION_TITLES = {
  user: 'About the user',
  traits: 'Your developed traits',
} as const;

/** An attribute value as prompt text: strings as they are, lists joined, objects as JSON. @public */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return value.join(', ');
  return JSON.stringify(value);
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One line per attribute, `- key: value` (`- category/key: value` outside `fact`). @public */
export function attributeLine(attribute: ProfileAttribute): string {
  const key = attribute.key.replace(/_/g, ' ');
  const label = attribute.category === 'fact' ? key : `${attribute.category}/${key}`;
  return `- ${label}: ${clip(valueText(attribute.value), 300)}`;
}

/** A titled section, or an empty string when there is nothing to say. @public */
export function renderSection(title: string, attributes: readonly ProfileAttribute[]): string {
  if (attributes.length === 0) return '';
  return `${title}:\n${attributes.map(attributeLine).join('\n')}`;
}
