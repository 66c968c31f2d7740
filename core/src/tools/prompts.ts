import type { ChatMessage, ModelSpec, ToolSpec } from '@llm-bawt/sdk';
import { describeParameters } from './schema.js';

/** The `## Tools` section for native function calling: the names are authoritative. */
export function nativeToolsSection(names: readonly string[]): string {
  return [
    '## Tools',
    `You can call these tools: ${names.join(', ')}. Use exactly these names; no others exist.`,
    '- Call a tool when you need information you do not have, and whenever the user asks for an action in the world.',
    '- Never invent a tool result; report a failed tool as a failure.',
    '- When no tool is needed, answer normally.',
    '- Copy URLs and identifiers from tool results exactly.',
  ].join('\n');
}

/** The `## Tools` section that teaches the ReAct text protocol. */
export function reactToolsSection(specs: readonly ToolSpec[]): string {
  const lines = ['## Tools', 'You can use these tools:', ''];
  for (const spec of specs) {
    lines.push(`- **${spec.function.name}**: ${spec.function.description ?? ''}`.trimEnd());
    const parameters = describeParameters(spec);
    if (parameters.length > 0) lines.push(`  Parameters: ${parameters.join('; ')}`);
  }
  lines.push(
    '',
    'To use a tool, answer in exactly this format and then stop:',
    '',
    'Thought: <your reasoning>',
    'Action: <one tool name from the list>',
    'Action Input: {"param": "value"}',
    '',
    'The system then replies with "Observation: <result>". When you have what you need (or need no tool), answer:',
    '',
    'Thought: I now have the information needed',
    'Final Answer: <your reply to the user>',
    '',
    'Rules: one tool per response; stop right after Action Input and wait for the Observation; use the exact tool names above; Action Input is valid JSON; quote the data you observed, never invent it.',
  );
  return lines.join('\n');
}

/** Appends a section to the system message (or adds one). */
export function withSystemSection(messages: readonly ChatMessage[], section: string): ChatMessage[] {
  const index = messages.findIndex((m) => m.role === 'system');
  if (index === -1) return [{ role: 'system', content: section }, ...messages];
  const system = messages[index] as ChatMessage;
  const text = typeof system.content === 'string' ? system.content : (system.content ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');
  const out = [...messages];
  out[index] = { ...system, content: text === '' ? section : `${text}\n\n${section}` };
  return out;
}

const REACT_STOPS = ['\nObservation:', '}\nObservation', '}\n\nObservation', '\n\nObservation', '}\nFinal Answer', '}\n\nFinal Answer', '}\nThought', '}\n\nThought'];
/** OpenAI's own API takes at most four stop sequences. */
const OPENAI_STOPS = ['\nObservation', '}\nFinal Answer', '}\nThought', '}\n\nThought'];

/** Stop sequences that end a ReAct response right after its Action Input, plus the request's own. */
export function reactStops(model: ModelSpec, existing: readonly string[] = []): string[] {
  const limited = model.provider === 'openai';
  const all = [...new Set([...existing, ...(limited ? OPENAI_STOPS : REACT_STOPS)])];
  return limited ? all.slice(0, 4) : all;
}

/**
 * Rewrites a client's native tool round trip (assistant `tool_calls`, `tool` results) as
 * ReAct text, for a model that speaks only ReAct.
 */
export function toReactHistory(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map((message) => {
    if (message.role === 'tool') return { role: 'user', content: `Observation: ${textOf(message.content)}` };
    if (message.role !== 'assistant' || !message.tool_calls?.length) return message;
    const calls = message.tool_calls.map((call) => `Action: ${call.function.name}\nAction Input: ${call.function.arguments || '{}'}`);
    const { tool_calls: _calls, ...rest } = message;
    return { ...rest, content: [textOf(message.content), ...calls].filter((t) => t !== '').join('\n') };
  });
}

/**
 * Drops server-tool calls that have no result from earlier assistant messages: a streaming
 * client saw them announced and may send them back, but their results stayed on the server,
 * and upstream APIs refuse a call without a result.
 */
export function dropUnansweredCalls(messages: readonly ChatMessage[], serverNames: ReadonlySet<string>): ChatMessage[] {
  const answered = new Set(messages.filter((m) => m.role === 'tool' && m.tool_call_id).map((m) => m.tool_call_id));
  let changed = false;
  const out: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role !== 'assistant' || !message.tool_calls?.length) {
      out.push(message);
      continue;
    }
    const kept = message.tool_calls.filter((call) => answered.has(call.id) || !serverNames.has(call.function.name));
    if (kept.length === message.tool_calls.length) {
      out.push(message);
      continue;
    }
    changed = true;
    const { tool_calls: _calls, ...rest } = message;
    if (kept.length > 0) out.push({ ...rest, tool_calls: kept });
    else if (textOf(message.content) !== '') out.push(rest);
  }
  return changed ? out : [...messages];
}

function textOf(content: ChatMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

const ANSWER_NUDGE = '(Answer the user now with "Final Answer:", or call another tool if you still need one.)';

/** A tool result as a ReAct observation, wrapped as the original did (§6.1). */
export function observation(name: string, result: string, error: string | undefined, first: boolean): string {
  const status = error === undefined ? 'success' : 'error';
  const body = error === undefined ? result : `ERROR: ${error}`;
  let text = `Observation: <tool_result name="${name}" status="${status}">\n${body}\n</tool_result>`;
  if (error !== undefined) text += `\n[IMPORTANT: the tool '${name}' failed. Tell the user it failed; do not invent a result.]`;
  if (first) text += `\n${ANSWER_NUDGE}`;
  return text;
}
