/** Whose sessions: every read and write is scoped by bot and user. @public */
export interface SessionScope {
  botId: string;
  userId: string;
}

/** `active`: the one a turn without `session_id` uses; `archived`: rotated or closed; `deleted`: soft-deleted. @public */
export type SessionStatus = 'active' | 'archived' | 'deleted';

/** Where a session's title came from. @public */
export type TitleSource = 'auto' | 'user';

/** A row of `sessions`. @public */
export interface Session {
  id: string;
  botId: string;
  userId: string;
  status: SessionStatus;
  title: string | null;
  startedAt: Date;
  endedAt: Date | null;
  /** `title_source`, `predecessor`, `successor`, `summary_ids`, and whatever a client stored. */
  metadata: Record<string, unknown>;
}

/** A page of sessions, newest first. @public */
export interface SessionPage {
  sessions: Session[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

/** What rotating produced. @public */
export interface Rotation {
  /** The session that was active, now archived (absent when there was none). */
  archived?: Session;
  /** Its successor, now active. */
  active: Session;
  /** Summaries written for the archived session (empty without memory-summaries). */
  summaryIds: string[];
}

/** The part of memory-summaries that sessions use, to summarize a session before it is archived. @public */
export interface SessionSummarizer {
  summarize(scope: SessionScope, options: { sessionId: string | null; signal?: AbortSignal }): Promise<Array<{ id: string }>>;
}

/** Layer 5 of memory: sessions (threads), exactly one active per bot and user. @public */
export interface SessionsService {
  /** Newest first; every status but `deleted` unless `status` names it. */
  list(scope: SessionScope, options?: { status?: SessionStatus | SessionStatus[]; limit?: number; cursor?: string }): Promise<SessionPage>;
  /** The scope's session with this id, whatever its status; undefined when unknown or someone else's. */
  get(scope: SessionScope, id: string): Promise<Session | undefined>;
  /** Like {@link get} but for use: 404 (`LLMB_ERR_NOT_FOUND`) when unknown or someone else's, 410 (`LLMB_ERR_GONE`) when deleted. */
  resolve(scope: SessionScope, id: string, param?: string): Promise<Session>;
  getActive(scope: SessionScope): Promise<Session | undefined>;
  /** The active session, created when there is none; safe under concurrency. */
  getOrCreateActive(scope: SessionScope): Promise<Session>;
  /**
   * Opens a session. With `activate` (the default) it becomes the active one and the
   * previous active session is archived as on {@link rotate}; without, it is opened beside
   * it (status `archived`, ended_at unset) for turns that name it.
   */
  create(scope: SessionScope, options?: { title?: string; metadata?: Record<string, unknown>; activate?: boolean; signal?: AbortSignal }): Promise<{ session: Session; archived?: Session; summaryIds: string[] }>;
  /**
   * Summarizes the active session (or `sessionId`, which must be the active one) when a
   * summarizer is loaded, archives it and opens its successor. Nothing is deleted.
   */
  rotate(scope: SessionScope, options?: { sessionId?: string; title?: string; summarize?: boolean; signal?: AbortSignal }): Promise<Rotation>;
  /** Archives a session without a successor (the next turn opens one). */
  close(scope: SessionScope, id: string): Promise<Session>;
  /** Soft-deletes a session: later turns naming it get 410. */
  delete(scope: SessionScope, id: string): Promise<Session>;
  /** Sets the title; `auto` titles never replace an existing one. */
  setTitle(scope: SessionScope, id: string, title: string, source: TitleSource): Promise<boolean>;
}
