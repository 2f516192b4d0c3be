/** PyRadiomics baseline comparison (filled in below). */
export async function runPyradiomicsComparison(): Promise<void> {
  console.log('\n=== PyRadiomics baselines: not yet implemented');
}
