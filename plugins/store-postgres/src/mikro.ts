import { createRequire } from 'node:module';
import type * as Mikro from '@mikro-orm/postgresql';

// Loaded with require(), not import: under `node --import jiti/register` on Node 20, jiti's
// ESM hooks rewrite MikroORM's CommonJS files that contain `import()` into async ES modules,
// and Node then fails to link them (ERR_VM_MODULE_LINK_FAILURE, "jiti.mjs is not in cache").
// Those hooks do not see require(); vitest, jiti's API and built code load it the same way.
const mikro = createRequire(import.meta.url)('@mikro-orm/postgresql') as typeof Mikro;

export const { EntitySchema, MetadataProvider, MikroORM, Type, UniqueConstraintViolationException } = mikro;
export type EntitySchema<T = any, Base = never> = Mikro.EntitySchema<T, Base>;
export type MetadataProvider = Mikro.MetadataProvider;
export type MikroORM = Mikro.MikroORM;
export type Type<JSType = string, DBType = JSType> = Mikro.Type<JSType, DBType>;
export type UniqueConstraintViolationException = Mikro.UniqueConstraintViolationException;
