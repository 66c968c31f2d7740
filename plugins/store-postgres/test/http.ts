import { defineAgentBackend, definePlugin, type TurnEvent } from '@llm-bawt/sdk';
import type { TestHost } from '@llm-bawt/sdk/testing';
import { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';

/**
 * An agent backend that answers with what the turn saw: the system prompt and the
 * `greeting` runtime setting, so tests can tell which bot row and setting a turn used.
 * "fail" in the user message fails the turn; "tool" runs a fake tool first.
 */
export const echoAgentPlugin = definePlugin({
  id: 'echo-agent',
  version: '0.1.0',
  sdk: '^0.1.0',
  contributes: {
    agents: [
      defineAgentBackend({
        id: 'echo',
        async *run(assembly, ctx): AsyncIterable<TurnEvent> {
          const last = assembly.messages.findLast((m) => m.role === 'user');
          const text = typeof last?.content === 'string' ? last.content : '';
          if (text.includes('fail')) throw new Error('the echo agent was asked to fail');
          if (text.includes('tool')) {
            yield { type: 'tool_start', id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' };
            yield { type: 'tool_end', id: 'call_1', name: 'lookup', result: 'found it', durationMs: 2 };
          }
          const system = assembly.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
          yield { type: 'text', text: `greeting=${String(ctx.setting('greeting', 'none'))}; system=${system}` };
          yield { type: 'finish', reason: 'stop' };
        },
      }),
    ],
  },
});

export interface ApiResult<T = any> {
  status: number;
  body: T;
}

/** Raw fetch against the host's HTTP transport; bodies are JSON (or undefined for 204). */
export function apiOf(host: TestHost) {
  const base = host.get(transportOpenaiRef).url as string;
  const call = async <T = any>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    base,
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body: unknown) => call<T>('POST', path, body),
    put: <T = any>(path: string, body: unknown) => call<T>('PUT', path, body),
    patch: <T = any>(path: string, body: unknown) => call<T>('PATCH', path, body),
    delete: <T = any>(path: string) => call<T>('DELETE', path),
    /** One non-streaming chat turn; returns the reply text (or the error response). */
    async chat(body: Record<string, unknown>): Promise<ApiResult & { text?: string }> {
      const result = await call('POST', '/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }], ...body });
      return { ...result, ...(result.status === 200 ? { text: result.body.choices[0].message.content as string } : {}) };
    },
  };
}

/** An error body with this code and param, for `toMatchObject`. */
export const errorOf = (code: string, param: string | null = null) => ({ error: { code, param } });
