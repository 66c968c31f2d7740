/**
 * Default positions of the system prompt's named sections; lower comes first.
 * Plugins may use any number, these keep the common sections in a stable order.
 * @public
 */
export const PROMPT_POSITION = {
  persona: 0,
  instructions: 10,
  time: 20,
  userProfile: 30,
  botTraits: 40,
  memory: 50,
  summaries: 60,
  tools: 70,
  extra: 100,
} as const;

/** One named section of the system prompt. @public */
export interface PromptSection {
  readonly name: string;
  readonly content: string;
  readonly position: number;
  /** Plugin that last wrote the section, for the turn log. */
  readonly owner?: string;
}

/** Where {@link PromptBuilder.set} places a section. @public */
export type PromptPlacement =
  | { position: number }
  | { before: string }
  | { after: string };

/**
 * Builds the system prompt from named sections. CONTEXT_BUILD hooks receive one and
 * return it (or a replacement). @public
 */
export interface PromptBuilder {
  /** Adds or replaces a section. Without a placement a new section goes after the others. */
  set(name: string, content: string, placement?: PromptPlacement): this;
  /** Appends text to a section, creating it when missing. */
  append(name: string, content: string, placement?: PromptPlacement): this;
  get(name: string): PromptSection | undefined;
  has(name: string): boolean;
  remove(name: string): boolean;
  /** The sections in position order (ties keep insertion order). */
  sections(): PromptSection[];
  /** The system prompt: non-empty sections joined by blank lines. */
  build(): string;
}
