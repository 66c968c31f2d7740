export { default, memorySessionsPlugin } from './plugin.js';
export { sessionsRef, sessionSummarizerRef } from './refs.js';
export { autoTitle, TITLE_MAX } from './title.js';
export { newCommand } from './turn-hooks.js';
export type { Rotation, Session, SessionPage, SessionScope, SessionsService, SessionStatus, SessionSummarizer, TitleSource } from './types.js';
