import { silentLogger, type Logger } from '@llm-bawt/sdk';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { locationOf, passwordOf, resolveTarget, sslOf, type DatabaseOptions, type DatabaseTarget } from './config.js';
import { startEmbedded, type EmbeddedServer } from './embedded/server.js';
import { sharedEntities } from './entities.js';
import { guardRepository, type RepositoryActions } from './db-errors.js';
import { connectionError, scrub } from './errors.js';
import { readHealth, type DatabaseHealth } from './health.js';
import { withRawConnection } from './migrations/raw-connection.js';
import { applyMigrations, orderMigrations, readStatus, type ContributedMigration, type MigrationReport, type StatusReport } from './migrations/runner.js';
import { sharedMigrations } from './migrations/shared.js';
import { openOrm } from './orm.js';
import { createRedactor, secretsOf } from './redact.js';
import { createBotsRepository, type BotsRepository } from './repos/bots.js';
import { createModelDefinitionsRepository, type ModelDefinitionsRepository } from './repos/models.js';
import {
  createPromptTemplatesRepository,
  createRuntimeSettingsRepository,
  type PromptTemplatesRepository,
  type RuntimeSettingsRepository,
} from './repos/settings.js';
import { createTurnLogsRepository, type TurnLogsRepository } from './repos/turn-logs.js';
import { cacheSettings, type RuntimeSettingsCache } from './settings-cache.js';
import {
  cosineDistanceSql,
  EMBEDDING_DIMENSIONS,
  fromVectorLiteral,
  hnswCosineIndexSql,
  nearestByCosine,
  nearestSql,
  toVectorLiteral,
  type NearestQuery,
  type NearestRow,
} from './vector.js';

const write = (what: string) => ({ what, write: true });
const BOT_ACTIONS: RepositoryActions<BotsRepository> = {
  create: write('creating the bot'),
  update: write('replacing the bot'),
  patch: write('updating the bot'),
  delete: write('deleting the bot'),
  seedFromConfig: write('seeding bots from bots.yaml'),
};
const MODEL_ACTIONS: RepositoryActions<ModelDefinitionsRepository> = { upsert: write('saving the model definition'), delete: write('deleting the model definition') };
const SETTINGS_ACTIONS: RepositoryActions<RuntimeSettingsRepository> = { set: write('saving the setting'), delete: write('deleting the setting') };
const PROMPT_ACTIONS: RepositoryActions<PromptTemplatesRepository> = { set: write('saving the prompt template'), delete: write('deleting the prompt template') };
const TURN_LOG_ACTIONS: RepositoryActions<TurnLogsRepository> = { record: write('writing the turn log') };

/** The plugin id; its own migrations are recorded under it. @public */
export const STORE_PLUGIN_ID = 'store-postgres';

/** Vector helpers bound to the store's database. @public */
export interface StoreVectorHelpers {
  readonly dimensions: number;
  nearest<T = Record<string, unknown>>(query: NearestQuery): Promise<NearestRow<T>[]>;
  toLiteral(values: ArrayLike<number>): string;
  fromLiteral(text: string): number[];
  nearestSql: typeof nearestSql;
  hnswCosineIndexSql: typeof hnswCosineIndexSql;
  cosineDistanceSql: typeof cosineDistanceSql;
}

/** What store-postgres offers other plugins through `storeRef`. @public */
export interface Store {
  readonly orm: MikroORM;
  /**
   * `embedded` (PGlite in a worker) or `external` (PostgreSQL), with a label and a location
   * (the data directory, or the URL without its password) free of credentials.
   */
  readonly target: { readonly kind: DatabaseTarget['kind']; readonly label: string; readonly location: string };
  /** A fresh EntityManager fork (what `coreRefs.db` gives per request). */
  em(): EntityManager;
  /** Applies pending migrations (under the advisory lock). */
  migrate(): Promise<MigrationReport>;
  /** Lists applied, pending and changed migrations. */
  status(): Promise<StatusReport>;
  /** Round trip, server and pgvector versions, migration counts; rejects with a credential-free message when the database does not answer. */
  health(): Promise<DatabaseHealth>;
  readonly vector: StoreVectorHelpers;
  readonly bots: BotsRepository;
  readonly models: ModelDefinitionsRepository;
  readonly settings: RuntimeSettingsRepository;
  /** `runtime_settings` in memory; every write through `settings` updates it. The host plugin loads it at boot. */
  readonly settingsSource: RuntimeSettingsCache;
  readonly prompts: PromptTemplatesRepository;
  readonly turnLogs: TurnLogsRepository;
}

/** A store opened outside a host (CLI, benches); close it when done. @public */
export interface OpenedStore extends Store {
  close(): Promise<void>;
}

/** Options of {@link openStore}. @public */
export interface OpenStoreOptions extends DatabaseOptions {
  /** Connections to an external PostgreSQL (default 10); the embedded database always uses 1. */
  poolSize?: number;
  /** Other plugins' EntitySchemas (the shared tables' schemas are always added). */
  entities?: readonly unknown[];
  /** Other plugins' migrations (store-postgres's own always run first). */
  migrations?: readonly ContributedMigration[];
  logger?: Logger;
  /** Migration lock wait before giving up (default 90 s). */
  lockTimeoutMs?: number;
}

/** Opens the database (starting the embedded one if no URL is given) and the ORM; does not migrate. @public */
export async function openStore(options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const logger = options.logger ?? silentLogger;
  const target = resolveTarget(options);
  const migrations = orderMigrations(
    [...sharedMigrations.map((value) => ({ pluginId: STORE_PLUGIN_ID, value })), ...(options.migrations ?? []).filter((m) => m.pluginId !== STORE_PLUGIN_ID)],
    STORE_PLUGIN_ID,
  );
  let server: EmbeddedServer | undefined;
  if (target.kind === 'embedded') {
    try {
      server = await startEmbedded(target.dataDir, { onCrash: (error) => logger.error(`embedded database worker failed: ${error.message}`) });
    } catch (error) {
      throw connectionError(error, target);
    }
  }
  let orm: MikroORM | undefined;
  try {
    orm = await openOrm({
      url: server ? server.url : (target as DatabaseTarget & { kind: 'external' }).url,
      entities: [...sharedEntities, ...(options.entities ?? [])],
      poolSize: server ? 1 : (options.poolSize ?? 10),
      keepOne: Boolean(server),
      ssl: target.kind === 'external' ? sslOf(target.url) : false,
      logger,
    });
    await withRawConnection(orm, (connection) => connection.query('SELECT 1'));
  } catch (error) {
    await orm?.close(true).catch(() => undefined);
    await server?.stop();
    throw connectionError(error, target);
  }
  const ready = orm;
  const secrets = secretsOf(options.env ?? {});
  const password = passwordOf(target);
  const redactor = createRedactor(password ? [...secrets, password] : secrets);
  let closed: Promise<void> | undefined;
  const guard = { target, logger };
  const settings = cacheSettings(
    guardRepository(createRuntimeSettingsRepository(ready), SETTINGS_ACTIONS, { ...guard, name: 'settings' }),
  );

  return {
    orm: ready,
    target: { kind: target.kind, label: target.label, location: locationOf(target) },
    em: () => ready.em.fork(),
    migrate: () =>
      withRawConnection(ready, (connection) =>
        applyMigrations(connection, target, migrations, options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
      ),
    status: () => withRawConnection(ready, (connection) => readStatus(connection, target, migrations)),
    health: () =>
      withRawConnection(ready, (connection) => readHealth(connection, target, migrations)).catch((error: unknown) => {
        throw new Error(scrub(error instanceof Error ? error.message : String(error), target), { cause: error });
      }),
    vector: {
      dimensions: EMBEDDING_DIMENSIONS,
      nearest: (query) => nearestByCosine(ready.em.fork(), query),
      toLiteral: (values) => toVectorLiteral(values),
      fromLiteral: fromVectorLiteral,
      nearestSql,
      hnswCosineIndexSql,
      cosineDistanceSql,
    },
    bots: guardRepository(createBotsRepository(ready), BOT_ACTIONS, { ...guard, name: 'bots' }),
    models: guardRepository(createModelDefinitionsRepository(ready), MODEL_ACTIONS, { ...guard, name: 'model definitions' }),
    settings: settings.repository,
    settingsSource: settings.cache,
    prompts: guardRepository(createPromptTemplatesRepository(ready), PROMPT_ACTIONS, { ...guard, name: 'prompt templates' }),
    turnLogs: guardRepository(createTurnLogsRepository(ready, redactor), TURN_LOG_ACTIONS, { ...guard, name: 'turn logs' }),
    close: () => {
      closed ??= (async () => {
        await ready.close(true).catch((error: unknown) => logger.warn(`closing the ORM: ${(error as Error).message}`));
        await server?.stop();
      })();
      return closed;
    },
  };
}

/** Options of the standalone {@link migrate} and {@link status} (what `llm-bawt db` passes). @public */
export type MigrateOptions = Omit<OpenStoreOptions, 'entities'>;

/** Opens the database, applies pending migrations, closes it. For `llm-bawt db migrate`. @public */
export async function migrate(options: MigrateOptions = {}): Promise<MigrationReport> {
  const store = await openStore(options);
  try {
    return await store.migrate();
  } finally {
    await store.close();
  }
}

/** Opens the database, reads the migration status, closes it. For `llm-bawt db status`. @public */
export async function status(options: MigrateOptions = {}): Promise<StatusReport> {
  const store = await openStore(options);
  try {
    return await store.status();
  } finally {
    await store.close();
  }
}
