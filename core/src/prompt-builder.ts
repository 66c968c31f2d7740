import type { PromptBuilder as PromptBuilderApi, PromptPlacement, PromptSection } from '@llm-bawt/sdk';

/** The system prompt as named, positioned sections. */
export class PromptBuilder implements PromptBuilderApi {
  readonly #sections = new Map<string, PromptSection & { seq: number }>();
  #seq = 0;
  owner: string | undefined;

  set(name: string, content: string, placement?: PromptPlacement): this {
    const existing = this.#sections.get(name);
    const position = placement ? this.#resolve(placement) : (existing?.position ?? this.#last() + 1);
    const seq = existing && !placement ? existing.seq : this.#seq++;
    this.#sections.set(name, { name, content, position, seq, ...(this.owner ? { owner: this.owner } : {}) });
    return this;
  }

  append(name: string, content: string, placement?: PromptPlacement): this {
    const existing = this.#sections.get(name);
    if (!existing) return this.set(name, content, placement);
    return this.set(name, existing.content ? `${existing.content}\n${content}` : content);
  }

  get(name: string): PromptSection | undefined {
    const section = this.#sections.get(name);
    if (!section) return undefined;
    const { seq: _seq, ...rest } = section;
    return rest;
  }

  has(name: string): boolean {
    return this.#sections.has(name);
  }

  remove(name: string): boolean {
    return this.#sections.delete(name);
  }

  sections(): PromptSection[] {
    return [...this.#sections.values()]
      .sort((a, b) => a.position - b.position || a.seq - b.seq)
      .map(({ seq: _seq, ...rest }) => rest);
  }

  build(): string {
    return this.sections()
      .map((s) => s.content.trim())
      .filter((text) => text.length > 0)
      .join('\n\n');
  }

  #last(): number {
    let max = -1;
    for (const section of this.#sections.values()) max = Math.max(max, section.position);
    return max;
  }

  #resolve(placement: PromptPlacement): number {
    if ('position' in placement) return placement.position;
    const anchorName = 'before' in placement ? placement.before : placement.after;
    const anchor = this.#sections.get(anchorName);
    if (!anchor) return this.#last() + 1;
    // Half-steps keep the new section next to its anchor without renumbering the others.
    return 'before' in placement ? anchor.position - 0.5 : anchor.position + 0.5;
  }
}
