import type { ChatMessage, ContentPart } from './messages.js';

/** The `image_url` of an image content part. @public */
export type ImageUrl = Extract<ContentPart, { type: 'image_url' }>['image_url'];

/** The text parts of a message's content, joined by newlines; '' for no content. @public */
export function contentText(content: ChatMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((part): part is Extract<ContentPart, { type: 'text' }> => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

/**
 * Maps a message's content to a provider's own parts: a string is one text part, empty text is
 * dropped (provider APIs reject empty text blocks), `image` may drop an image by returning
 * undefined, and audio and file parts are left out.
 * @public
 */
export function mapContent<T>(
  content: ChatMessage['content'],
  map: { text: (text: string) => T; image: (image: ImageUrl) => T | undefined },
): T[] {
  if (content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [map.text(content)];
  const out: T[] = [];
  for (const part of content) {
    if (part.type === 'text' && part.text !== '') out.push(map.text(part.text));
    else if (part.type === 'image_url') {
      const image = map.image(part.image_url);
      if (image !== undefined) out.push(image);
    }
  }
  return out;
}
