import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import {
  coreRefs,
  createRef,
  definePlugin,
  defineRoute,
  defineTool,
  STAGE_KIND,
  type Bail,
  type ContextFragment,
  type Logger,
  type PromptBuilder,
  type Ref,
  type RouteProgress,
  type Stage,
  type TurnEvent,
  type TurnRequest,
} from '@llm-bawt/sdk';
import { eventsOfType } from '@llm-bawt/sdk/testing';

interface Counter {
  next(): number;
}
const counterRef = createRef<Counter>({ id: 'counter.value' });
const manyRef = createRef<string>({ id: 'counter.names', multi: true });

describe('public types', () => {
  it('types ctx.deps from requires and optional', () => {
    definePlugin({
      id: 'typed',
      version: '1.0.0',
      sdk: '^0.1.0',
      requires: { counter: counterRef, logger: coreRefs.logger, names: manyRef },
      optional: { maybe: counterRef },
      setup(ctx) {
        expectTypeOf(ctx.deps.counter).toEqualTypeOf<Counter>();
        expectTypeOf(ctx.deps.logger).toEqualTypeOf<Logger>();
        expectTypeOf(ctx.deps.names).toEqualTypeOf<string[]>();
        expectTypeOf(ctx.deps.maybe).toEqualTypeOf<Counter | undefined>();
        // @ts-expect-error not declared in requires
        void ctx.deps.other;
      },
    });
  });

  it('types ctx.config from the valibot schema', () => {
    definePlugin({
      id: 'configured',
      version: '1.0.0',
      sdk: '^0.1.0',
      config: v.object({ greeting: v.optional(v.string(), 'hi'), times: v.number() }),
      hooks: {
        CONTEXT_BUILD: (prompt, ctx) => {
          expectTypeOf(ctx.config).toEqualTypeOf<{ greeting: string; times: number }>();
          expectTypeOf(prompt).toEqualTypeOf<PromptBuilder>();
        },
      },
    });
  });

  it('fixes each stage hook signature by its stage', () => {
    definePlugin({
      id: 'stages',
      version: '1.0.0',
      sdk: '^0.1.0',
      hooks: {
        PRE_PROCESS: (request) => {
          expectTypeOf(request).toEqualTypeOf<TurnRequest>();
        },
        MEMORY_RETRIEVAL: () => [{ text: 'x' }] satisfies ContextFragment[],
        POST_PROCESS: { order: 'post', handler: (turn) => void turn.reply.content },
        onChunk: (event) => {
          expectTypeOf(event).toEqualTypeOf<TurnEvent>();
          return null;
        },
        EXECUTE: { around: (assembly, _ctx, next) => next(assembly) },
      },
    });
    definePlugin({
      id: 'wrong',
      version: '1.0.0',
      sdk: '^0.1.0',
      hooks: {
        // @ts-expect-error HISTORY_FILTER returns messages, not a string
        HISTORY_FILTER: () => 'nope',
        // @ts-expect-error order is only 'pre' or 'post'
        CONTEXT_BUILD: { order: 'first', handler: () => undefined },
      },
    });
    definePlugin({
      id: 'unknown-stage',
      version: '1.0.0',
      sdk: '^0.1.0',
      // @ts-expect-error there is no such stage
      hooks: { RENDER: () => undefined },
    });
  });

  it('narrows events by type', () => {
    expectTypeOf(eventsOfType([] as TurnEvent[], 'text')).toEqualTypeOf<{ type: 'text'; text: string }[]>();
  });

  it('keeps the stage -> kind table exhaustive', () => {
    expectTypeOf(STAGE_KIND).toHaveProperty('EXECUTE');
    expectTypeOf<keyof typeof STAGE_KIND>().toEqualTypeOf<Stage>();
  });

  it('types refs, bails and tool inputs', () => {
    expectTypeOf(counterRef).toEqualTypeOf<Ref<Counter, false>>();
    expectTypeOf(manyRef).toEqualTypeOf<Ref<string, true>>();
    expectTypeOf<Bail['reply']['content']>().toEqualTypeOf<string>();
    defineTool({
      name: 'add',
      description: 'adds',
      input: v.object({ a: v.number(), b: v.number() }),
      run: (input) => {
        expectTypeOf(input).toEqualTypeOf<{ a: number; b: number }>();
        return input.a + input.b;
      },
    });
  });

  it('gives route handlers a progress reporter', () => {
    defineRoute({
      method: 'POST',
      path: '/v1/long',
      summary: 'long',
      handle: ({ progress }) => {
        expectTypeOf(progress).toEqualTypeOf<(update: RouteProgress) => void>();
        progress({ done: 1, total: 2, message: 'half' });
        progress({ done: 1 });
        // @ts-expect-error done is required
        progress({ total: 2 });
        return {};
      },
    });
  });
});
