import { createRef } from '@llm-bawt/sdk';
import type { ProfileService } from './service.js';

/** The profile store: user attributes per (bot, user) and each bot's own traits. @public */
export const profileRef = createRef<ProfileService>({ id: 'memory-profile.profiles' });
