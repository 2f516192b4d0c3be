/** Explanations for known misses, keyed by `csv:tag` or by tag. Filled only with understood causes. */
export const KNOWN_REASONS: Record<string, string> = {};
