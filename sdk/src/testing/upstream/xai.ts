import { joined, splitArguments, type Reply } from './script.js';
import { errorTypeFor, sseEvent, type WireFormat } from './wire.js';

function usageOf(reply: Reply) {
  const u = reply.usage;
  return {
    input_tokens: u.prompt_tokens,
    input_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
    output_tokens: u.completion_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
    total_tokens: u.prompt_tokens + u.completion_tokens,
  };
}

function responseObject(reply: Reply, done: boolean, output: unknown[]) {
  const incomplete = done && reply.finishReason === 'length';
  return {
    id: `resp_scripted_${reply.seq}`,
    object: 'response',
    created_at: reply.created,
    status: done ? (incomplete ? 'incomplete' : 'completed') : 'in_progress',
    error: null,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    metadata: {},
    model: reply.model,
    output,
    parallel_tool_calls: true,
    temperature: null,
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    usage: done ? usageOf(reply) : null,
  };
}

function reasoningItem(reply: Reply, text: string) {
  return { id: `rs_scripted_${reply.seq}`, type: 'reasoning', summary: text === '' ? [] : [{ type: 'summary_text', text }] };
}

function messageItem(reply: Reply, done: boolean, text: string) {
  return {
    id: `msg_scripted_${reply.seq}`,
    type: 'message',
    status: done ? 'completed' : 'in_progress',
    role: 'assistant',
    content: done ? [{ type: 'output_text', text, annotations: [], logprobs: [] }] : [],
  };
}

function functionCallItem(reply: Reply, index: number, done: boolean) {
  const call = reply.toolCalls[index]!;
  return {
    id: `fc_scripted_${reply.seq}_${index}`,
    type: 'function_call',
    status: done ? 'completed' : 'in_progress',
    call_id: call.id ?? `call_${reply.seq}_${index}`,
    name: call.name,
    arguments: done ? call.arguments : '',
  };
}

function outputItems(reply: Reply): unknown[] {
  const output: unknown[] = [];
  if (reply.reasoning !== null) output.push(reasoningItem(reply, joined(reply.reasoning)));
  if (reply.text !== null) output.push(messageItem(reply, true, joined(reply.text)));
  reply.toolCalls.forEach((_, index) => output.push(functionCallItem(reply, index, true)));
  return output;
}

/** The OpenAI Responses API as xAI serves it: `/v1/responses`. */
export const xaiFormat: WireFormat = {
  body(reply) {
    return responseObject(reply, true, outputItems(reply));
  },

  frames(reply) {
    const frames: string[] = [];
    let sequence = 0;
    const emit = (type: string, fields: Record<string, unknown>) =>
      frames.push(sseEvent(type, { type, sequence_number: sequence++, ...fields }));
    let outputIndex = 0;

    emit('response.created', { response: responseObject(reply, false, []) });
    emit('response.in_progress', { response: responseObject(reply, false, []) });

    if (reply.reasoning !== null) {
      const item_id = `rs_scripted_${reply.seq}`;
      const text = joined(reply.reasoning);
      const at = { item_id, output_index: outputIndex, summary_index: 0 };
      emit('response.output_item.added', { output_index: outputIndex, item: reasoningItem(reply, '') });
      emit('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
      for (const delta of reply.reasoning) emit('response.reasoning_summary_text.delta', { ...at, delta });
      emit('response.reasoning_summary_text.done', { ...at, text });
      emit('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text } });
      emit('response.output_item.done', { output_index: outputIndex++, item: reasoningItem(reply, text) });
    }
    if (reply.text !== null) {
      const item_id = `msg_scripted_${reply.seq}`;
      const text = joined(reply.text);
      const at = { item_id, output_index: outputIndex, content_index: 0 };
      emit('response.output_item.added', { output_index: outputIndex, item: messageItem(reply, false, '') });
      emit('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
      for (const delta of reply.text) emit('response.output_text.delta', { ...at, delta, logprobs: [] });
      emit('response.output_text.done', { ...at, text, logprobs: [] });
      emit('response.content_part.done', { ...at, part: { type: 'output_text', text, annotations: [], logprobs: [] } });
      emit('response.output_item.done', { output_index: outputIndex++, item: messageItem(reply, true, text) });
    }
    reply.toolCalls.forEach((call, index) => {
      const at = { item_id: `fc_scripted_${reply.seq}_${index}`, output_index: outputIndex };
      emit('response.output_item.added', { output_index: outputIndex, item: functionCallItem(reply, index, false) });
      for (const delta of splitArguments(call.arguments)) emit('response.function_call_arguments.delta', { ...at, delta });
      emit('response.function_call_arguments.done', { ...at, name: call.name, arguments: call.arguments });
      emit('response.output_item.done', { output_index: outputIndex++, item: functionCallItem(reply, index, true) });
    });

    const final = responseObject(reply, true, outputItems(reply));
    emit(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
    return frames;
  },

  malformedFrame: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":\n\n',

  errorBody(status, message) {
    return { error: { message, type: errorTypeFor(status), param: null, code: null } };
  },
};
