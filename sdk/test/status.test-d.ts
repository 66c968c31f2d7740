import { describe, expectTypeOf, it } from 'vitest';
import { createRef, definePlugin, defineStatusCheck, type ContributionIndex, type HostApi, type StatusCheckDefinition, type StatusState } from '@llm-bawt/sdk';

const clientRef = createRef<{ ping(): Promise<number> }>({ id: 'cache.client' });

describe('status checks', () => {
  it('type the context and the report, and index as a contribution kind', () => {
    const check = defineStatusCheck({
      id: 'cache',
      async check(ctx) {
        expectTypeOf(ctx.host).toEqualTypeOf<HostApi>();
        expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
        expectTypeOf(ctx.get(clientRef).ping).returns.resolves.toBeNumber();
        return { state: 'degraded', summary: 'slow', details: { ms: await ctx.get(clientRef).ping() } };
      },
    });
    definePlugin({ id: 'cache', version: '1.0.0', sdk: '^0.1.0', contributes: { status: [check] } });
    expectTypeOf<ContributionIndex['status'][number]['value']>().toEqualTypeOf<StatusCheckDefinition>();
    expectTypeOf<StatusState>().toEqualTypeOf<'ok' | 'degraded' | 'down'>();
    expectTypeOf<HostApi['version']>().toEqualTypeOf<string | undefined>();
  });

  it('refuses a report with another state or without a summary', () => {
    // @ts-expect-error 'broken' is not a status state
    defineStatusCheck({ id: 'a', check: async () => ({ state: 'broken', summary: 'x' }) });
    // @ts-expect-error a report needs a summary
    defineStatusCheck({ id: 'b', check: async () => ({ state: 'ok' }) });
  });
});
