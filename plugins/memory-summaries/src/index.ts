export { default, memorySummariesPlugin } from './plugin.js';
export { summariesRef } from './refs.js';
export { summariesConfig, type SummariesConfig } from './config.js';
export { heuristicSummary } from './heuristic.js';
export { SUMMARY_INSTRUCTIONS, summaryPrompt } from './prompt.js';
export { overflowGroups, chunk, type OverflowBudget, type SummaryGroup } from './select.js';
export type { SummariesService, Summary, SummarizeOptions, SummaryMethod } from './types.js';
