import { createTestHost } from '@llm-bawt/sdk/testing';
import toolsCore from '@llm-bawt/plugin-tools-core';
import transportOpenai, { transportOpenaiRef } from '@llm-bawt/plugin-transport-openai';
import { describe, expect, it } from 'vitest';
import transportMcp, { transportMcpRef } from '../src/index.js';

describe('a host started with only openai-http (as `llm-bawt status` boots one)', () => {
  it('serves the OpenAI API and leaves the MCP listener off', async () => {
    const host = await createTestHost({
      plugins: [transportOpenai, toolsCore, transportMcp],
      transports: ['openai-http'],
      listen: { port: 0, mcp: { port: 0 } },
    });
    try {
      expect(host.endpoints().map((e) => e.transport)).toEqual(['openai-http']);
      expect(host.get(transportMcpRef).url).toBeUndefined();
      const status = await fetch(`${host.get(transportOpenaiRef).url as string}/v1/status`);
      expect(status.status).toBe(200);
      expect(((await status.json()) as { plugins: { id: string }[] }).plugins.map((p) => p.id)).toContain('transport-mcp');
    } finally {
      await host.close();
    }
  });
});
