/** Turning timed calls into the figures the benchmark table shows. */

export const WORKLOADS = ['decode', 'encode', 'thumbnail'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** One timed call: how long it took and how many source pixels it processed. */
export interface TimedCall {
  ms: number;
  pixels: number;
}

export interface Measurement {
  workload: Workload;
  contender: string;
  label: string;
  setup: string;
  calls: number;
  totalMs: number;
  /** Megapixels of source image processed per second. */
  mpps: number;
  imagesPerSecond: number;
  p50ms: number;
  p95ms: number;
  /** jpegkit's MP/s ÷ this row's MP/s, as in bench/results (> 1: jpegkit is faster). */
  jpegkitRatio?: number;
}

/** The q-quantile of sorted values, by linear interpolation between the nearest ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function summarize(
  calls: readonly TimedCall[],
): Pick<Measurement, 'calls' | 'totalMs' | 'mpps' | 'imagesPerSecond' | 'p50ms' | 'p95ms'> {
  const totalMs = calls.reduce((sum, c) => sum + c.ms, 0);
  const pixels = calls.reduce((sum, c) => sum + c.pixels, 0);
  const sorted = calls.map((c) => c.ms).sort((a, b) => a - b);
  return {
    calls: calls.length,
    totalMs,
    mpps: totalMs > 0 ? pixels / 1e6 / (totalMs / 1000) : NaN,
    imagesPerSecond: totalMs > 0 ? calls.length / (totalMs / 1000) : NaN,
    p50ms: quantile(sorted, 0.5),
    p95ms: quantile(sorted, 0.95),
  };
}

/** Fills in `jpegkitRatio` per workload against the row of the `reference` contender (e.g. 'jpegkit-wasm'). */
export function addRatios(rows: Measurement[], reference: string): Measurement[] {
  return rows.map((row) => {
    const base = rows.find((r) => r.workload === row.workload && r.contender === reference);
    return base && row.mpps > 0 ? { ...row, jpegkitRatio: base.mpps / row.mpps } : { ...row };
  });
}
