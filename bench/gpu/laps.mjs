// Timing shared by the GPU benchmarks: the lap times of a call run back to back, and their percentiles.

/** The `p` quantile (0–1) of ascending `sorted` lap times. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * Runs `run(lap)` `warmup` times untimed, then timed until there are at least `rounds` laps and `seconds` have
 * passed. Returns the lap times in ms, ascending, and the seconds the timed part took.
 */
export async function lapTimes(run, { warmup = 0, rounds = 0, seconds = 0 } = {}) {
  for (let i = 0; i < warmup; i++) await run(i);
  const laps = [];
  const start = performance.now();
  while (laps.length < rounds || performance.now() - start < seconds * 1000) {
    const t = performance.now();
    await run(laps.length);
    laps.push(performance.now() - t);
  }
  return { laps: laps.sort((a, b) => a - b), seconds: (performance.now() - start) / 1000 };
}
