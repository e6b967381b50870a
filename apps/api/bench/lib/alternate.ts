// Measures a figure and its baseline `reps` times each, alternating which goes first so neither
// always runs second (warm caches, a busier machine). `watch` brackets each run of the figure
// (e.g. reset a fake server's counters, then read its peak).
export async function alternate(
  reps: number,
  value: () => Promise<number>,
  baseline: () => Promise<number>,
  watch: { before?: () => void; after?: () => void } = {},
): Promise<{ values: number[]; baseline: number[] }> {
  const values: number[] = [];
  const baselines: number[] = [];
  const measured = async (): Promise<void> => {
    watch.before?.();
    values.push(await value());
    watch.after?.();
  };
  for (let rep = 0; rep < reps; rep++) {
    if (rep % 2 === 0) {
      await measured();
      baselines.push(await baseline());
    } else {
      baselines.push(await baseline());
      await measured();
    }
  }
  return { values, baseline: baselines };
}
