import { defineAgentBackend, definePlugin, type Assembly, type TurnEvent } from '@llm-bawt/sdk';

/** An agent backend that answers with what it was sent, so tests see the assembled turn. */
export const echoBackend = defineAgentBackend({
  id: 'echo',
  async *run(assembly: Assembly): AsyncGenerator<TurnEvent> {
    const system = assembly.messages.find((m) => m.role === 'system')?.content ?? '';
    const last = assembly.messages.at(-1)?.content ?? '';
    yield { type: 'text', text: `[${String(system)}] ` };
    yield { type: 'text', text: String(last) };
    yield { type: 'finish', reason: 'stop' };
  },
});

export const echoPlugin = definePlugin({ id: 'echo-agent', version: '0.1.0', sdk: '^0.1.0', contributes: { agents: [echoBackend] } });

export const echoBot = { slug: 'e', agent_backend: 'echo', system_prompt: 'P' } as const;

/** Records the order things happened in. */
export function journal() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}
