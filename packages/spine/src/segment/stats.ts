/**
 * The element at quantile `q` (0..1) of `values`, sorted ascending: index ⌊n·q⌋ (so q = 0.5 is the
 * upper median); undefined when empty. The input is not modified.
 */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}
