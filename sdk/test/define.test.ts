import { describe, expect, it } from 'vitest';
import {
  BRAND,
  contentText,
  createError,
  createRef,
  defineEmbedder,
  definePlugin,
  defineStatusCheck,
  defineTool,
  ERROR_CATALOGUE,
  finish,
  isBranded,
  isLlmbError,
  isRef,
  mapContent,
  toLlmbError,
} from '@llm-bawt/sdk';
import * as v from 'valibot';

describe('definePlugin', () => {
  it('brands the definition with a Symbol.for key and runs nothing', () => {
    let ran = false;
    const plugin = definePlugin({ id: 'quiet', version: '1.0.0', sdk: '^0.1.0', setup: () => void (ran = true) });
    expect(isBranded(plugin, 'plugin')).toBe(true);
    expect((plugin as unknown as Record<symbol, unknown>)[Symbol.for('llm-bawt:brand')]).toBe('plugin');
    expect(ran).toBe(false);
  });

  it('recognises a plugin branded by another copy of the sdk', () => {
    const foreign = { id: 'x', version: '1.0.0', sdk: '^0.1.0' };
    Object.defineProperty(foreign, Symbol.for('llm-bawt:brand'), { value: 'plugin' });
    expect(isBranded(foreign, 'plugin')).toBe(true);
    expect(BRAND).toBe(Symbol.for('llm-bawt:brand'));
  });

  it('rejects bad ids, versions, ranges and dependencies with a clear message', () => {
    expect(() => definePlugin({ id: 'Bad_Id', version: '1.0.0', sdk: '^0.1.0' })).toThrow(/kebab-case/);
    expect(() => definePlugin({ id: 'ok', version: 'one', sdk: '^0.1.0' })).toThrow(/not semver/);
    expect(() => definePlugin({ id: 'ok', version: '1.0.0', sdk: '' })).toThrow(/semver range/);
    expect(() => definePlugin({ id: 'ok', version: '1.0.0', sdk: '^0.1.0', requires: { db: 'db' as never } })).toThrow(/'db' is not a ref/);
  });
});

describe('refs', () => {
  it('keys refs by Symbol.for so two copies agree', () => {
    const a = createRef<number>({ id: 'store.db' });
    const b = createRef<number>({ id: 'store.db', scope: 'request' });
    expect(a.key).toBe(b.key);
    expect(isRef(a)).toBe(true);
    expect(String(a)).toBe('ref(store.db)');
    expect(() => a.T).toThrow(/type carrier/);
    expect(() => createRef({ id: 'nodot' })).toThrow(/<plugin-id>\.<name>/);
  });
});

describe('errors', () => {
  it('carries code, HTTP status and OpenAI type from the catalogue', () => {
    const error = createError('LLMB_ERR_UNKNOWN_MODEL', 'no such model', { param: 'model' });
    expect(error).toMatchObject({ code: 'LLMB_ERR_UNKNOWN_MODEL', status: 404, type: 'invalid_request_error', origin: { param: 'model' } });
    expect(isLlmbError(error)).toBe(true);
    expect(isLlmbError(new Error('plain'))).toBe(false);
    expect(toLlmbError(new Error('plain'))).toMatchObject({ code: 'LLMB_ERR_INTERNAL', message: 'plain' });
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^LLMB_ERR_[A-Z_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
    }
  });
});

describe('other define helpers', () => {
  it('checks cheap invariants', () => {
    expect(() => defineTool({ name: 'Bad Name', description: 'x', input: v.object({}), run: () => 1 })).toThrow(/snake_case/);
    expect(() => defineEmbedder({ id: 'e', dimensions: 0, embed: async () => [] })).toThrow(/positive integer/);
    expect(finish('pong').reply).toEqual({ content: 'pong' });
  });

  it('brands a status check and refuses a bad id or timeout without running it', () => {
    let ran = false;
    const check = defineStatusCheck({
      id: 'database',
      check: async () => {
        ran = true;
        return { state: 'ok', summary: 'fine' };
      },
    });
    expect(isBranded(check, 'status-check')).toBe(true);
    expect(ran).toBe(false);
    expect(() => defineStatusCheck({ id: 'Data Base', check: async () => ({ state: 'ok', summary: '' }) })).toThrow(/kebab-case/);
    expect(() => defineStatusCheck({ id: 'slow', timeoutMs: 0, check: async () => ({ state: 'ok', summary: '' }) })).toThrow(/timeoutMs must be a positive integer/);
  });
});

describe('message content', () => {
  it('reads the text parts and maps text and images, dropping empty text and what the mapper drops', () => {
    const content = [
      { type: 'text' as const, text: 'one' },
      { type: 'text' as const, text: '' },
      { type: 'image_url' as const, image_url: { url: 'https://x.test/a.png' } },
      { type: 'image_url' as const, image_url: { url: 'ftp://x.test/b.png' } },
      { type: 'input_audio' as const, input_audio: { data: '', format: 'wav' } },
      { type: 'text' as const, text: 'two' },
    ];
    expect(contentText(content)).toBe('one\n\ntwo');
    expect(contentText(null)).toBe('');
    const map = { text: (text: string) => `t:${text}`, image: ({ url }: { url: string }) => (url.startsWith('https:') ? `i:${url}` : undefined) };
    expect(mapContent(content, map)).toEqual(['t:one', 'i:https://x.test/a.png', 't:two']);
    expect(mapContent('', map)).toEqual([]);
    expect(mapContent('hi', map)).toEqual(['t:hi']);
  });
});
