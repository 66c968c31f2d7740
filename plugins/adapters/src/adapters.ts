import { defineAdapter } from '@llm-bawt/sdk';
import { createCleaner, SPECIAL_TOKENS } from './cleaner.js';

const defaultCleaner = createCleaner({ cutAt: SPECIAL_TOKENS });

/** For every model: cuts the reply at leaked end-of-turn tokens (`<|im_end|>`, `<|eot_id|>`, ...). @public */
export const defaultAdapter = defineAdapter({
  id: 'default',
  stop: [],
  cleanChunk: defaultCleaner.cleanChunk,
  flush: defaultCleaner.flush,
  cleanReply: defaultCleaner.cleanReply,
});

/** Role markers that open a turn a Pygmalion-style model invents for the user. */
const PYGMALION_STOPS = ['[HUMAN]', '[/HUMAN]', '[INST]', '[/INST]', '### Instruction:', '### Human:', '<|im_start|>user'];
const BBCODE = /\[\/?(?:b|i|u|s|color|size|font|url|quote|img|center|spoiler|code|sup|sub)(?:=[^\]\n]*)?\]/gi;

const pygmalionCleaner = createCleaner({
  cutAt: [...PYGMALION_STOPS, '### Input:', '### Response:', '<USER>', '\nUser:', '\nYou:', '\nHuman:', ...SPECIAL_TOKENS],
  holdBracket: 24,
  rewrite: (text) => text.replace(BBCODE, ''),
  collapseNewlines: true,
});

/**
 * Pygmalion, MythoMax and other roleplay fine-tunes: drops BBCode tags, cuts the reply at
 * an invented user turn or role marker, collapses runs of blank lines. @public
 */
export const pygmalionAdapter = defineAdapter({
  id: 'pygmalion',
  stop: PYGMALION_STOPS,
  cleanChunk: pygmalionCleaner.cleanChunk,
  flush: pygmalionCleaner.flush,
  cleanReply: pygmalionCleaner.cleanReply,
});

const dolphinCleaner = createCleaner({ cutAt: ['\nObservation:', ...SPECIAL_TOKENS] });

/** Dolphin fine-tunes: cuts a hallucinated `Observation:` (a tool result the model made up) and all after it. @public */
export const dolphinAdapter = defineAdapter({
  id: 'dolphin',
  stop: ['\nObservation:'],
  cleanChunk: dolphinCleaner.cleanChunk,
  flush: dolphinCleaner.flush,
  cleanReply: dolphinCleaner.cleanReply,
});

export const ADAPTERS = [defaultAdapter, pygmalionAdapter, dolphinAdapter] as const;
