import { afterAll, describe, expect, it } from 'vitest';
import { databaseOf, isUuid } from '../src/index.js';
import { backends, open } from './backends.js';

describe.each(backends)('raw SQL on $name', (backend) => {
  afterAll(() => backend.cleanup());

  it('runs statements with ? placeholders, counts touched rows and rolls a failed transaction back', async () => {
    const store = await open(backend, 'sql', { ephemeral: true });
    try {
      const db = databaseOf(store);
      await db.sql().run('CREATE TABLE sql_probe (id integer PRIMARY KEY, note text NOT NULL)');
      expect(await db.sql().run('INSERT INTO sql_probe (id, note) VALUES (?, ?), (?, ?)', [1, 'one', 2, 'two'])).toBe(2);

      await db.transaction(async (sql) => {
        await sql.run('UPDATE sql_probe SET note = ? WHERE id = ?', ['uno', 1]);
        expect(await sql.one<{ note: string }>('SELECT note FROM sql_probe WHERE id = ?', [1])).toEqual({ note: 'uno' });
      });
      const failed = db.transaction(async (sql) => {
        await sql.run('DELETE FROM sql_probe');
        throw new Error('changed my mind');
      });
      await expect(failed).rejects.toThrow('changed my mind');

      expect(await db.sql().all('SELECT id, note FROM sql_probe ORDER BY id')).toEqual([
        { id: 1, note: 'uno' },
        { id: 2, note: 'two' },
      ]);
      expect(await db.sql().one('SELECT id FROM sql_probe WHERE id = ?', [3])).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('isUuid', () => {
  it('accepts canonical UUID text only', () => {
    expect(isUuid('0b5c7f0e-3d1a-4c2b-9e8f-1a2b3c4d5e6f')).toBe(true);
    expect(isUuid('0B5C7F0E-3D1A-4C2B-9E8F-1A2B3C4D5E6F')).toBe(true);
    expect(isUuid('0b5c7f0e3d1a4c2b9e8f1a2b3c4d5e6f')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
