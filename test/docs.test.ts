import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../scripts/gen-errors-doc.js';

describe('docs', () => {
  it('docs/errors.md lists the current error catalogue (regenerate with scripts/gen-errors-doc.ts)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });
});
