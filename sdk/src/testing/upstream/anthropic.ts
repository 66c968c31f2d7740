import { joined, splitArguments, type Reply } from './script.js';
import { errorTypeFor, sseEvent, type WireFormat } from './wire.js';

const STOP_REASONS = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' } as const;

function toolUseId(reply: Reply, index: number, id: string | undefined): string {
  return id ?? `toolu_${reply.seq}_${index}`;
}

/** Anthropic counts cached input apart, so `input_tokens` excludes cache reads and writes. */
function usageOf(reply: Reply, outputTokens: number) {
  const u = reply.usage;
  const cacheRead = u.cached_tokens ?? 0;
  const cacheCreation = u.cache_creation_tokens ?? 0;
  return {
    input_tokens: Math.max(0, u.prompt_tokens - cacheRead - cacheCreation),
    output_tokens: outputTokens,
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
  };
}

function parseInput(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function envelope(reply: Reply) {
  return { id: `msg_scripted_${reply.seq}`, type: 'message', role: 'assistant', model: reply.model };
}

/** Anthropic Messages: `/v1/messages`. */
export const anthropicFormat: WireFormat = {
  body(reply) {
    const content: unknown[] = [];
    if (reply.reasoning !== null) {
      content.push({ type: 'thinking', thinking: joined(reply.reasoning), signature: `sig_scripted_${reply.seq}` });
    }
    if (reply.text !== null) content.push({ type: 'text', text: joined(reply.text) });
    reply.toolCalls.forEach((call, index) => {
      content.push({
        type: 'tool_use',
        id: toolUseId(reply, index, call.id),
        name: call.name,
        input: parseInput(call.arguments),
      });
    });
    return {
      ...envelope(reply),
      content,
      stop_reason: STOP_REASONS[reply.finishReason],
      stop_sequence: null,
      usage: usageOf(reply, reply.usage.completion_tokens),
    };
  },

  frames(reply) {
    const frames = [
      sseEvent('message_start', {
        type: 'message_start',
        message: { ...envelope(reply), content: [], stop_reason: null, stop_sequence: null, usage: usageOf(reply, 1) },
      }),
      'event: ping\ndata: {"type": "ping"}\n\n',
    ];
    let index = 0;
    const start = (block: unknown) =>
      frames.push(sseEvent('content_block_start', { type: 'content_block_start', index, content_block: block }));
    const delta = (data: unknown) =>
      frames.push(sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: data }));
    const stop = () => frames.push(`event: content_block_stop\ndata: {"type":"content_block_stop","index":${index++}}\n\n`);

    if (reply.reasoning !== null) {
      start({ type: 'thinking', thinking: '', signature: '' });
      for (const piece of reply.reasoning) delta({ type: 'thinking_delta', thinking: piece });
      delta({ type: 'signature_delta', signature: `sig_scripted_${reply.seq}` });
      stop();
    }
    if (reply.text !== null) {
      start({ type: 'text', text: '' });
      for (const piece of reply.text) delta({ type: 'text_delta', text: piece });
      stop();
    }
    reply.toolCalls.forEach((call, callIndex) => {
      start({ type: 'tool_use', id: toolUseId(reply, callIndex, call.id), name: call.name, input: {} });
      for (const piece of splitArguments(call.arguments)) delta({ type: 'input_json_delta', partial_json: piece });
      stop();
    });
    frames.push(
      sseEvent('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: STOP_REASONS[reply.finishReason], stop_sequence: null },
        usage: { output_tokens: reply.usage.completion_tokens },
      }),
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
    return frames;
  },

  malformedFrame: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":\n\n',

  errorBody(status, message) {
    return { type: 'error', error: { type: errorTypeFor(status), message } };
  },
};
