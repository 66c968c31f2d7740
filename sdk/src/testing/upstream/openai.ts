import { joined, splitArguments, type Reply } from './script.js';
import { errorTypeFor, type WireFormat } from './wire.js';

const OPENAI_CODES: Record<number, string> = {
  401: 'invalid_api_key',
  404: 'model_not_found',
  429: 'rate_limit_exceeded',
};

function toolCallId(reply: Reply, index: number, id: string | undefined): string {
  return id ?? `call_${reply.seq}_${index}`;
}

function usageOf(reply: Reply) {
  const u = reply.usage;
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    ...(u.cached_tokens !== undefined && { prompt_tokens_details: { cached_tokens: u.cached_tokens } }),
    ...(u.reasoning_tokens !== undefined && {
      completion_tokens_details: { reasoning_tokens: u.reasoning_tokens },
    }),
  };
}

/** OpenAI chat completions: `/v1/chat/completions`. */
export const openaiFormat: WireFormat = {
  body(reply) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: reply.text === null ? null : joined(reply.text),
      refusal: null,
    };
    if (reply.reasoning !== null) message['reasoning_content'] = joined(reply.reasoning);
    if (reply.toolCalls.length > 0) {
      message['tool_calls'] = reply.toolCalls.map((call, index) => ({
        id: toolCallId(reply, index, call.id),
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
    }
    return {
      id: `chatcmpl-scripted-${reply.seq}`,
      object: 'chat.completion',
      created: reply.created,
      model: reply.model,
      system_fingerprint: null,
      choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }],
      usage: usageOf(reply),
    };
  },

  frames(reply, request) {
    const includeUsage = request?.stream_options?.include_usage === true;
    // Every chunk shares its envelope, so only the delta is serialized per frame.
    const head =
      `data: {"id":"chatcmpl-scripted-${reply.seq}","object":"chat.completion.chunk",` +
      `"created":${reply.created},"model":${JSON.stringify(reply.model)},"system_fingerprint":null,` +
      `"choices":[{"index":0,"delta":`;
    const tail = `,"logprobs":null,"finish_reason":null}]${includeUsage ? ',"usage":null' : ''}}\n\n`;
    const frames = [`${head}{"role":"assistant","content":"","refusal":null}${tail}`];
    for (const piece of reply.reasoning ?? []) {
      frames.push(`${head}{"reasoning_content":${JSON.stringify(piece)}}${tail}`);
    }
    for (const piece of reply.text ?? []) frames.push(`${head}{"content":${JSON.stringify(piece)}}${tail}`);
    reply.toolCalls.forEach((call, index) => {
      const opening = {
        tool_calls: [
          { index, id: toolCallId(reply, index, call.id), type: 'function', function: { name: call.name, arguments: '' } },
        ],
      };
      frames.push(`${head}${JSON.stringify(opening)}${tail}`);
      for (const piece of splitArguments(call.arguments)) {
        const delta = { tool_calls: [{ index, function: { arguments: piece } }] };
        frames.push(`${head}${JSON.stringify(delta)}${tail}`);
      }
    });
    frames.push(
      `${head}{},"logprobs":null,"finish_reason":"${reply.finishReason}"}]${includeUsage ? ',"usage":null' : ''}}\n\n`,
    );
    if (includeUsage) {
      const chunk = {
        id: `chatcmpl-scripted-${reply.seq}`,
        object: 'chat.completion.chunk',
        created: reply.created,
        model: reply.model,
        system_fingerprint: null,
        choices: [],
        usage: usageOf(reply),
      };
      frames.push(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    frames.push('data: [DONE]\n\n');
    return frames;
  },

  malformedFrame: 'data: {"id":"chatcmpl-scripted","object":"chat.completion.chunk","choices":[{"delta":\n\n',

  errorBody(status, message) {
    return { error: { message, type: errorTypeFor(status), param: null, code: OPENAI_CODES[status] ?? null } };
  },
};

/** The body of `GET /v1/models`. */
export function modelsList(models: string[]): unknown {
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted-upstream' })),
  };
}
