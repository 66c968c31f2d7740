import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import toolsCore from '@llm-bawt/plugin-tools-core';
import memoryHistory from '@llm-bawt/plugin-memory-history';
import memorySemantic from '@llm-bawt/plugin-memory-semantic';
import memoryProfile from '@llm-bawt/plugin-memory-profile';
import * as mcp from '../src/index.js';
import { renderMcpToolsDoc, TOOL_PLUGINS } from '../../../scripts/gen-mcp-tools-doc.js';

describe('docs', () => {
  it('docs/mcp-tools.md lists every MCP tool as it is now (regenerate with scripts/gen-mcp-tools-doc.ts)', () => {
    const plugins = [toolsCore, memoryHistory, memorySemantic, memoryProfile];
    expect(plugins.map((p) => p.id)).toEqual([...TOOL_PLUGINS]);
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'mcp-tools.md'), 'utf8');
    expect(doc).toBe(renderMcpToolsDoc(mcp, plugins));
  });
});
