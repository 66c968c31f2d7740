import type { StoredMessage } from '@llm-bawt/plugin-memory-history';

const MAX_DETAILS = 6;
const DETAIL_CHARS = 200;

// Words that mark a sentence as worth keeping: facts, wishes, plans and preferences.
const CUES = /\b(my|i am|i'm|i have|i've|i live|i work|remember|prefer|love|hate|like|need|want|plan|going to|always|never|allergic|birthday|name)\b/i;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** The first sentence of a text, whitespace collapsed. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

function weight(sentence: string): number {
  const digits = (sentence.match(/\d/g) ?? []).length;
  const names = (sentence.slice(1).match(/\b[A-Z][a-z]+/g) ?? []).length;
  return Math.min(sentence.length, 160) / 40 + Math.min(digits, 6) + names * 2 + (CUES.test(sentence) ? 4 : 0);
}

const day = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');

/**
 * An extractive summary, used when no model is usable or the model's answer fails: the same
 * five sections as the model's, built from the user's own sentences, ranked by how much
 * they look like facts (numbers, names, "my", "remember", ...) and kept in order.
 */
export function heuristicSummary(messages: readonly StoredMessage[]): string {
  const users = messages.filter((m) => m.role === 'user' && m.content.trim() !== '');
  const assistants = messages.filter((m) => m.role === 'assistant').length;
  const sentences = users.map((m, index) => ({ index, text: clip(firstSentence(m.content), DETAIL_CHARS) }));
  const details = [...sentences]
    .sort((a, b) => weight(b.text) - weight(a.text))
    .slice(0, MAX_DETAILS)
    .sort((a, b) => a.index - b.index)
    .map((s) => `- ${s.text}`);
  const question = [...users].reverse().find((m) => m.content.includes('?'));
  const openLoop = question ? clip(question.content.replace(/\s+/g, ' ').trim().match(/[^.!?]*\?/)?.[0]?.trim() ?? firstSentence(question.content), DETAIL_CHARS) : 'none noted';
  const first = messages[0];
  const last = messages.at(-1);
  const period = first && last ? ` between ${day(first.createdAt)} and ${day(last.createdAt)} UTC` : '';
  return [
    `Summary: A conversation of ${messages.length} messages (${users.length} from the user, ${assistants} from the assistant)${period}.`,
    'Key Details:',
    ...(details.length > 0 ? details : ['- none noted']),
    `Intent: ${users[0] ? clip(firstSentence(users[0].content), 160) : 'unknown'}`,
    'Tone: not assessed (extractive summary)',
    `Open Loops: ${openLoop}`,
  ].join('\n');
}
