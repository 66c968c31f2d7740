import { describe, expect, it } from 'vitest';
import type { PluginInfo } from '@llm-bawt/sdk';
import { renderBootTree } from '../src/index.js';

const plugin = (contributes: Record<string, string[]>): PluginInfo => ({
  id: 'store',
  version: '1.0.0',
  source: '(inline)',
  requires: [],
  provides: [],
  setupMs: 12,
  hooks: [],
  contributes,
});

describe('the boot tree', () => {
  it('names status checks as such, and shows a kind it does not know as the plugin names it', () => {
    const text = renderBootTree([plugin({ migrations: ['0001-init'], status: ['database'], routes: [], widgets: ['clock'] })], 'llm-bawt 0.1.0');
    expect(text).toContain('     contributes: migrations: 0001-init, status checks: database, widgets: clock');
  });
});
