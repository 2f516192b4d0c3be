/**
 * Explanations for known misses, keyed by `csv:tag` or by tag, printed next to each miss.
 * Empty because the current implementation has no miss on the IBSI-1 tables (digital phantom,
 * configurations A–E); add an entry only with an understood cause.
 */
export const KNOWN_REASONS: Record<string, string> = {};
