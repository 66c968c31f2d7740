import type { ChatMessage } from '@llm-bawt/sdk';
import type { StoredMessage } from '@llm-bawt/plugin-memory-history';

/** The summarizer's instructions (the original's `history.summarization.single`, restated). */
export const SUMMARY_INSTRUCTIONS = `You write the memory of a conversation between a user and an assistant, so the assistant can pick it up again later.
Write plain text with exactly these five sections, each starting on its own line:
Summary: two to four sentences on what was discussed and decided.
Key Details: a short list ("- ...") of concrete facts: names, numbers, dates, preferences, decisions, and anything the user asked to be remembered.
Intent: what the user wanted from the conversation.
Tone: the mood of the conversation in a few words.
Open Loops: questions left open or follow-ups promised; "none" if there are none.
Be faithful and concrete. Never add anything that is not in the transcript. Refer to the user in the third person. Use 120 to 220 words in all.`;

const LABEL: Record<StoredMessage['role'], string> = { user: 'USER', assistant: 'ASSISTANT', system: 'TOOL RESULTS' };
const MESSAGE_CHARS = 4_000;

/** The transcript of a chunk, as the summarizer reads it. */
export function transcript(messages: readonly StoredMessage[]): string {
  return messages
    .map((m) => {
      const text = m.content.length > MESSAGE_CHARS ? `${m.content.slice(0, MESSAGE_CHARS)}…` : m.content;
      return `${LABEL[m.role]}: ${text}`;
    })
    .join('\n\n');
}

/** The messages of a summary call. */
export function summaryPrompt(messages: readonly StoredMessage[]): ChatMessage[] {
  const first = messages[0]?.createdAt.toISOString() ?? '';
  const last = messages.at(-1)?.createdAt.toISOString() ?? '';
  return [
    { role: 'system', content: SUMMARY_INSTRUCTIONS },
    { role: 'user', content: `Conversation from ${first} to ${last}:\n\n${transcript(messages)}\n\nWrite the summary now.` },
  ];
}

const FAILURE = /^(error\b|i'?m sorry|i cannot|i can'?t|as an ai)|exceed(s|ed)? (the )?(context|maximum context)|context (window|length) (exceeded|is too)/i;

/** The model's answer cleaned, or undefined when it is unusable (empty, an error, a refusal). */
export function acceptSummary(text: string): string | undefined {
  const cleaned = text.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
  if (cleaned.length < 20 || FAILURE.test(cleaned)) return undefined;
  return cleaned;
}
