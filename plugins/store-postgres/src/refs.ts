import { createRef } from '@llm-bawt/sdk';
import type { Store } from './store.js';

/** The store-postgres API (ORM, migrations, vector helpers, shared-table repositories). @public */
export const storeRef = createRef<Store>({ id: 'store-postgres.store' });
