import { describe, expect, it } from 'vitest';
import { definePlugin, defineMemoryLayer, finish, isLlmbError, type TurnContext, type TurnEvent } from '@llm-bawt/sdk';
import { createTestHost } from '@llm-bawt/core';
import { echoBot, echoPlugin, journal } from './helpers.js';

const plugin = (id: string, hooks: object, extra: object = {}) => definePlugin({ id, version: '1.0.0', sdk: '^0.1.0', hooks, ...extra } as never);

describe('PRE_PROCESS: waterfall with bail', () => {
  it('feeds each hook the previous request and lets a hook answer without a model', async () => {
    const { lines, log } = journal();
    const rewrite = plugin('a-rewrite', {
      PRE_PROCESS: (req: { messages: { role: string; content: string }[] }) => ({ ...req, messages: [{ role: 'user', content: 'rewritten' }] }),
    });
    const observe = plugin('b-observe', { PRE_PROCESS: (req: { messages: { content: string }[] }) => void log(`saw ${req.messages[0]?.content}`) });
    const host = await createTestHost({ plugins: [rewrite, observe, echoPlugin], bots: [echoBot] });
    expect((await host.ask('original')).text).toBe('[P] rewritten');
    expect(lines).toEqual(['saw rewritten']);

    const { lines: ran, log: mark } = journal();
    const bail = plugin('a-slash', { PRE_PROCESS: (req: { messages: { content: string }[] }) => (req.messages[0]?.content === '/ping' ? finish('pong') : undefined) });
    const after = plugin('b-after', { PRE_PROCESS: () => void mark('after'), CONTEXT_BUILD: () => void mark('context') });
    const host2 = await createTestHost({ plugins: [bail, after, echoPlugin], bots: [echoBot] });
    const result = await host2.ask('/ping');
    expect(result.text).toBe('pong');
    expect(result.turn.status).toBe('ok');
    expect(ran).toEqual([]);
    await Promise.all([host.close(), host2.close()]);
  });
});

describe('CONTEXT_BUILD and MESSAGE_ASSEMBLY: waterfalls', () => {
  it('builds the system prompt from named sections in position order', async () => {
    const persona = plugin('persona-extra', {
      CONTEXT_BUILD: (prompt: { set: (n: string, c: string, p?: object) => unknown }) => {
        prompt.set('time', 'It is noon.', { position: 20 });
        prompt.set('first', 'FIRST', { before: 'persona' });
      },
    });
    const assembly = plugin('assembly', {
      MESSAGE_ASSEMBLY: (a: { messages: { role: string; content: string }[] }) => ({ ...a, messages: [...a.messages.slice(0, -1), { role: 'user', content: 'assembled' }] }),
    });
    const host = await createTestHost({ plugins: [persona, assembly, echoPlugin], bots: [echoBot] });
    expect((await host.ask('x')).text).toBe('[FIRST\n\nP\n\nIt is noon.] assembled');
    await host.close();
  });
});

describe('MEMORY_RETRIEVAL: parallel-collect', () => {
  it('merges fragments from all layers, leaves a failing layer out and still answers', async () => {
    const started: string[] = [];
    const slow = defineMemoryLayer({
      id: 'slow',
      description: 'answers after a pause',
      recall: async () => {
        started.push('slow');
        await new Promise((r) => setTimeout(r, 30));
        return [{ text: 'Fact from slow.', score: 0.5 }];
      },
    });
    const fast = defineMemoryLayer({
      id: 'fast',
      description: 'answers at once',
      recall: () => {
        started.push('fast');
        return [{ text: 'Fact from fast.', score: 0.9 }];
      },
    });
    const broken = defineMemoryLayer({ id: 'broken', description: 'throws', recall: () => { throw new Error('index offline'); } });
    const layers = definePlugin({ id: 'layers', version: '1.0.0', sdk: '^0.1.0', contributes: { memory: [slow, fast, broken] } });
    const host = await createTestHost({ plugins: [layers, echoPlugin], bots: [{ ...echoBot, requires_memory: true }] });
    const { text, turn } = await host.ask('what do you know?');
    expect(started).toEqual(['slow', 'fast']);
    expect(text).toBe('[P\n\nFact from fast.\nFact from slow.] what do you know?');
    expect(turn.outputs.MEMORY_RETRIEVAL).toMatchObject({ failed: ['layers:memory:broken.recall'], merged: { kept: 2, dropped: 0 } });
    await host.close();
  });

  it('does not run memory layers for a bot without memory', async () => {
    let called = false;
    const layer = defineMemoryLayer({ id: 'l', description: 'x', recall: () => { called = true; return []; } });
    const host = await createTestHost({ plugins: [definePlugin({ id: 'l', version: '1.0.0', sdk: '^0.1.0', contributes: { memory: [layer] } }), echoPlugin], bots: [{ ...echoBot, requires_memory: false }] });
    await host.ask('hi');
    expect(called).toBe(false);
    await host.close();
  });

  it('fails the turn when a critical retrieval hook fails', async () => {
    const critical = plugin('guard', { MEMORY_RETRIEVAL: { critical: true, handler: () => { throw new Error('policy store down'); } } });
    const host = await createTestHost({ plugins: [critical, echoPlugin], bots: [{ ...echoBot, requires_memory: true }] });
    const error = await host.ask('hi').catch((e: unknown) => e);
    expect(isLlmbError(error) && error.origin).toMatchObject({ pluginId: 'guard', stage: 'MEMORY_RETRIEVAL' });
    await host.close();
  });
});

describe('EXECUTE: exclusive with around wrappers', () => {
  it('runs exactly one claimant, wrapped by around hooks (first in order outermost)', async () => {
    const { lines, log } = journal();
    const exec = plugin('exec', {
      EXECUTE: async function* () {
        log('exec');
        yield { type: 'text', text: 'inner' } as TurnEvent;
      },
    });
    const outer = plugin('a-outer', {
      EXECUTE: { order: 'pre', around: async function* (a: unknown, _c: unknown, next: (a: unknown) => AsyncIterable<TurnEvent>) {
        log('outer>');
        yield* next(a);
        log('<outer');
      } },
    });
    const inner = plugin('b-inner', {
      EXECUTE: { around: async function* (a: unknown, _c: unknown, next: (a: unknown) => AsyncIterable<TurnEvent>) {
        log('inner>');
        for await (const event of next(a)) yield event.type === 'text' ? { ...event, text: event.text.toUpperCase() } : event;
        log('<inner');
      } },
    });
    const host = await createTestHost({ plugins: [exec, inner, outer] });
    expect((await host.ask('x')).text).toBe('INNER');
    expect(lines).toEqual(['outer>', 'inner>', 'exec', '<inner', '<outer']);
    await host.close();
  });

  it('refuses a turn two handlers claim, naming both', async () => {
    const one = plugin('one', { EXECUTE: async function* () { yield { type: 'text', text: '1' } as TurnEvent; } });
    const two = plugin('two', { EXECUTE: async function* () { yield { type: 'text', text: '2' } as TurnEvent; } });
    const host = await createTestHost({ plugins: [one, two] });
    const stream = await host.runTurn({ messages: [{ role: 'user', content: 'x' }] });
    const error = await (async () => { for await (const _ of stream.events) void _; })().catch((e: unknown) => e);
    expect(isLlmbError(error) && error.code).toBe('LLMB_ERR_EXECUTE_CONFLICT');
    expect((error as Error).message).toMatch(/'one'.*'two'/);
    await host.close();
  });

  it('lets onChunk hooks rewrite and drop chunks in order', async () => {
    const exec = plugin('exec', { EXECUTE: async function* () { for (const text of ['a', 'drop', 'b']) yield { type: 'text', text } as TurnEvent; } });
    const dropper = plugin('a-drop', { onChunk: (e: TurnEvent) => (e.type === 'text' && e.text === 'drop' ? null : e) });
    const upper = plugin('b-upper', { onChunk: (e: TurnEvent) => (e.type === 'text' ? { type: 'text', text: e.text.toUpperCase() } : undefined) });
    const host = await createTestHost({ plugins: [exec, upper, dropper] });
    expect((await host.ask('x')).text).toBe('AB');
    await host.close();
  });
});

describe('POST_PROCESS: parallel and detached', () => {
  it('runs after the reply; a failing hook never touches the reply, the others still run', async () => {
    let resolveSeen!: (value: string) => void;
    const seen = new Promise<string>((resolve) => (resolveSeen = resolve));
    const failing = plugin('a-fail', { POST_PROCESS: () => { throw new Error('disk full'); } });
    const slowFail = plugin('b-slow', { POST_PROCESS: async () => { await new Promise((r) => setTimeout(r, 20)); throw new Error('late failure'); } });
    const recorder = plugin('c-record', { POST_PROCESS: (turn: { reply: { content: string }; status: string }) => resolveSeen(`${turn.status}:${turn.reply.content}`) });
    const host = await createTestHost({ plugins: [failing, slowFail, recorder, echoPlugin], bots: [echoBot] });
    const result = await host.ask('hello');
    expect(result.text).toBe('[P] hello');
    expect(result.turn.status).toBe('ok');
    expect(await seen).toBe('ok:[P] hello');
    await host.close();
  });

  it('still sees failed turns, with their error', async () => {
    let status = '';
    const broken = plugin('broken', { CONTEXT_BUILD: () => { throw new Error('boom'); } });
    const watcher = plugin('watcher', { POST_PROCESS: (turn: { status: string; error?: { code: string } }) => { status = `${turn.status}/${turn.error?.code}`; } });
    const host = await createTestHost({ plugins: [broken, watcher, echoPlugin], bots: [echoBot] });
    await host.ask('x').catch(() => undefined);
    await host.close();
    expect(status).toBe('error/LLMB_ERR_HOOK_FAILED');
  });
});

describe('errors, timeouts and aborts', () => {
  it('names plugin, hook and stage when a hook throws', async () => {
    const broken = plugin('persona-pack', { CONTEXT_BUILD: () => { throw new TypeError('cannot read traits'); } });
    const host = await createTestHost({ plugins: [broken, echoPlugin], bots: [echoBot] });
    const error = await host.ask('x').catch((e: unknown) => e);
    expect(isLlmbError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'LLMB_ERR_HOOK_FAILED', status: 500, origin: { pluginId: 'persona-pack', hook: 'CONTEXT_BUILD', stage: 'CONTEXT_BUILD' } });
    expect((error as Error).message).toBe("plugin 'persona-pack' hook CONTEXT_BUILD failed in stage CONTEXT_BUILD: cannot read traits");
    await host.close();
  });

  it('keeps a deliberate coded error from a hook and adds where it came from', async () => {
    const { createError } = await import('@llm-bawt/sdk');
    const guard = plugin('guard', { PRE_PROCESS: () => { throw createError('LLMB_ERR_FORBIDDEN', 'user is blocked'); } });
    const host = await createTestHost({ plugins: [guard, echoPlugin], bots: [echoBot] });
    const error = await host.ask('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLMB_ERR_FORBIDDEN', status: 403, origin: { pluginId: 'guard', stage: 'PRE_PROCESS' } });
    await host.close();
  });

  it('abandons a hook that outlives its timeout', async () => {
    const slow = plugin('slowpoke', { HISTORY_FILTER: { timeoutMs: 50, handler: () => new Promise(() => undefined) } });
    const host = await createTestHost({ plugins: [slow, echoPlugin], bots: [echoBot] });
    const error = await host.ask('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLMB_ERR_HOOK_TIMEOUT', origin: { pluginId: 'slowpoke', stage: 'HISTORY_FILTER' } });
    expect((error as Error).message).toMatch(/50 ms/);
    await host.close();
  });

  it('passes the abort signal to every hook and stops the turn when the client goes away', async () => {
    const signals: AbortSignal[] = [];
    const controller = new AbortController();
    const waiting = plugin('waiting', {
      CONTEXT_BUILD: (_p: unknown, ctx: TurnContext) => {
        signals.push(ctx.signal);
        controller.abort();
        return new Promise(() => undefined);
      },
    });
    const host = await createTestHost({ plugins: [waiting, echoPlugin], bots: [echoBot] });
    const error = await host.runTurn({ messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LLMB_ERR_ABORTED' });
    expect(signals[0]?.aborted).toBe(true);
    await host.close();
  });

  it('aborts the executor when the reader stops mid-stream', async () => {
    let executorSignal: AbortSignal | undefined;
    const exec = plugin('exec', {
      EXECUTE: async function* (_a: unknown, ctx: TurnContext) {
        executorSignal = ctx.signal;
        yield { type: 'text', text: 'first' } as TurnEvent;
        await new Promise((r) => setTimeout(r, 1000));
        yield { type: 'text', text: 'never' } as TurnEvent;
      },
    });
    let finalStatus = '';
    const watch = plugin('watch', { POST_PROCESS: (t: { status: string }) => { finalStatus = t.status; } });
    const host = await createTestHost({ plugins: [exec, watch] });
    const stream = await host.runTurn({ messages: [{ role: 'user', content: 'x' }], stream: true });
    for await (const event of stream.events) {
      expect(event).toEqual({ type: 'text', text: 'first' });
      break;
    }
    expect(executorSignal?.aborted).toBe(true);
    expect((await stream.done).status).toBe('aborted');
    await host.close();
    expect(finalStatus).toBe('aborted');
  });
});

describe('decision points and settings', () => {
  it('lets PRE_PROCESS set decisions, then bot and request overrides win', async () => {
    const decisions: string[] = [];
    const decide = plugin('decide', { PRE_PROCESS: (_r: unknown, ctx: TurnContext) => { ctx.decisions.use_tools = false; ctx.decisions.use_search = false; } });
    const read = plugin('read', { CONTEXT_BUILD: (_p: unknown, ctx: TurnContext) => void decisions.push(JSON.stringify(ctx.decisions)) });
    const bot = { ...echoBot, uses_tools: true, uses_search: true, settings: { decisions: { use_search: true } } };
    const host = await createTestHost({ plugins: [decide, read, echoPlugin], bots: [bot] });
    await host.ask({ messages: [{ role: 'user', content: 'x' }], decisions: { skip_history: true } });
    expect(JSON.parse(decisions[0] as string)).toEqual({ use_memory: false, use_tools: false, use_search: true, skip_history: true });
    await host.close();
  });

  it('resolves runtime settings request -> bot -> global -> default', async () => {
    const seen: unknown[] = [];
    const read = plugin('read', {
      CONTEXT_BUILD: (_p: unknown, ctx: TurnContext) => void seen.push(['a', 'b', 'c', 'd'].map((k) => ctx.setting(k, `default-${k}`))),
    });
    const bot = { ...echoBot, settings: { a: 'bot-a', b: 'bot-b' } };
    const host = await createTestHost({ plugins: [read, echoPlugin], bots: [bot], settings: { a: 'global-a', b: 'global-b', c: 'global-c' } });
    await host.ask({ messages: [{ role: 'user', content: 'x' }], settings: { a: 'request-a' } });
    expect(seen[0]).toEqual(['request-a', 'bot-b', 'global-c', 'default-d']);
    await host.close();
  });

  it('times every stage and keeps stage notes', async () => {
    const noting = plugin('noting', { CONTEXT_BUILD: (_p: unknown, ctx: TurnContext) => ctx.note('persona', 'extended') });
    const host = await createTestHost({ plugins: [noting, echoPlugin], bots: [echoBot] });
    const { turn } = await host.ask('x');
    for (const stage of ['PRE_PROCESS', 'CONTEXT_BUILD', 'HISTORY_FILTER', 'MESSAGE_ASSEMBLY', 'EXECUTE'] as const) {
      expect(turn.timings[stage]).toBeGreaterThanOrEqual(0);
    }
    expect(turn.outputs.CONTEXT_BUILD).toEqual({ persona: 'extended' });
    await host.close();
  });
});
