export { default, memoryProfilePlugin, PROFILE_SECTIONS } from './plugin.js';
export { profileRef } from './refs.js';
export {
  botEntity,
  createProfileService,
  normalizeKey,
  userEntity,
  type AttributeInput,
  type AttributeSelector,
  type ListFilter,
  type ProfileAttribute,
  type ProfileEntity,
  type ProfileService,
  type SetResult,
} from './service.js';
export { attributeLine, renderSection, SECTION_TITLES, valueText } from './render.js';
export { profileTool, selfTool } from './tools.js';
export { deleteAttributeRoute, getProfileRoute, profileRoutes, putAttributeRoute } from './routes.js';
export { memoryProfileConfigSchema, type MemoryProfileConfig } from './config.js';
export {
  PROFILE_CATEGORIES,
  ProfileAttributeEntity,
  profileMigrations,
  type AttributeSource,
  type EntityType,
  type ProfileAttributeRow,
  type ProfileCategory,
} from './schema.js';
