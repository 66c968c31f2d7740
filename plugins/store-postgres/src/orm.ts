import type { Logger } from '@llm-bawt/sdk';
import type { EntityMetadata } from '@mikro-orm/postgresql';
import { MetadataProvider, MikroORM, type EntitySchema } from './mikro.js';

const entityName = (value: unknown) => (value as { className?: string }).className ?? (value as { name: string }).name;

/**
 * Reads entity types only from what the EntitySchema says: no `reflect-metadata`, no
 * decorators, no files (DESIGN §4: decorator metadata is not emitted by esbuild/vitest).
 */
class SchemaOnlyMetadataProvider extends MetadataProvider {
  loadEntityMetadata(meta: EntityMetadata): void {
    for (const prop of meta.props) {
      if (typeof prop.entity === 'string') {
        prop.type = prop.entity;
      } else if (prop.entity) {
        const target = prop.entity() as unknown;
        prop.type = Array.isArray(target) ? target.map(entityName).sort().join(' | ') : entityName(target);
      } else if (!prop.type) {
        throw new Error(`entity '${meta.className}': property '${prop.name}' needs an explicit 'type' (store-postgres reads no decorator metadata)`);
      }
    }
  }
}

/** How to open the ORM on an already running database. */
export interface OrmOptions {
  url: string;
  entities: readonly unknown[];
  /** Largest pool; the embedded database needs exactly 1. */
  poolSize: number;
  /** Keep one connection open (embedded: the socket server serves one connection at a time). */
  keepOne: boolean;
  /** TLS to the server (external databases with `sslmode=...`). */
  ssl?: false | { rejectUnauthorized: boolean };
  logger: Logger;
}

/** Starts MikroORM (PostgreSQL driver) with the given EntitySchemas; connects lazily. */
export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.url,
    entities: options.entities as EntitySchema[],
    pool: { min: options.keepOne ? 1 : 0, max: options.poolSize },
    // Fail fast at boot instead of retrying for the default 60 s.
    driverOptions: { connection: { connectionTimeoutMillis: 5_000, ssl: options.ssl ?? false }, acquireConnectionTimeout: 30_000 },
    ensureDatabase: false,
    metadataProvider: SchemaOnlyMetadataProvider,
    metadataCache: { enabled: false },
    discovery: { disableDynamicFileAccess: true, warnWhenNoEntities: false, requireEntitiesArray: true },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false,
    logger: (message) => options.logger.debug(message),
  });
}
