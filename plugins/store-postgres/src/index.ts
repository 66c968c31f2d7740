export { default, storePostgresPlugin } from './plugin.js';
export { storeRef } from './refs.js';
export { databaseStatusCheck } from './status-check.js';
export type { DatabaseHealth } from './health.js';
export { storeAdminRef, type StoreAdmin } from './admin/admin.js';
export type { BotAdmin } from './admin/bots.js';
export type { ModelAdmin } from './admin/models.js';
export type { SettingsAdmin, SettingsQuery } from './admin/settings.js';
export type { AdminPage, PageQuery } from './admin/common.js';
export type { RuntimeSettingsCache } from './settings-cache.js';
export {
  migrate,
  openStore,
  status,
  STORE_PLUGIN_ID,
  type MigrateOptions,
  type OpenedStore,
  type OpenStoreOptions,
  type Store,
  type StoreVectorHelpers,
} from './store.js';
export { storePostgresConfigSchema, type DatabaseOptions, type DatabaseTarget, type StorePostgresConfig } from './config.js';
export type { ContributedMigration, MigrationReport, MigrationState, StatusReport } from './migrations/runner.js';
export { MIGRATIONS_TABLE } from './migrations/bootstrap.js';
export { turnLogSetting, type TurnLogSetting } from './turn-log.js';
export { databaseOf, isUuid, type Database, type Sql } from './sql.js';
export {
  BotEntity,
  ModelDefinitionEntity,
  PromptTemplateEntity,
  RuntimeSettingEntity,
  sharedEntities,
  ToolCallRecordEntity,
  TurnLogEntity,
  type BotRow,
  type ModelDefinitionRow,
  type PromptTemplateRow,
  type RuntimeSettingRow,
  type ToolCallRecordRow,
  type TurnLogRow,
} from './entities.js';
export type { BotInput, BotPatch, BotRecord, BotsRepository } from './repos/bots.js';
export type { ModelDefinitionsRepository } from './repos/models.js';
export type {
  PromptTemplate,
  PromptTemplatesRepository,
  RuntimeSetting,
  RuntimeSettingKey,
  RuntimeSettingsPageQuery,
  RuntimeSettingsRepository,
  SettingScope,
} from './repos/settings.js';
export type { ToolCallRecord, TurnLogFilter, TurnLogLevel, TurnLogPage, TurnLogRecord, TurnLogsRepository } from './repos/turn-logs.js';
export {
  cosineDistanceSql,
  EMBEDDING_DIMENSIONS,
  fromVectorLiteral,
  hnswCosineIndexSql,
  nearestByCosine,
  nearestSql,
  toVectorLiteral,
  vectorColumnSql,
  vectorProperty,
  VectorType,
  type HnswOptions,
  type NearestQuery,
  type NearestRow,
} from './vector.js';
export type { EntityManager as Db } from '@mikro-orm/postgresql';
