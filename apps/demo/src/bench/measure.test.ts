import { describe, expect, it } from 'vitest';
import { addRatios, quantile, summarize } from './measure.js';
import type { Measurement } from './measure.js';

describe('quantile', () => {
  it('interpolates between ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30], 0.5)).toBe(20);
    expect(quantile([10, 20, 30], 0.95)).toBeCloseTo(29);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('summarize', () => {
  it('gives MP/s of source pixels, images/s and latency quantiles', () => {
    const calls = [
      { ms: 10, pixels: 1_000_000 },
      { ms: 30, pixels: 1_000_000 },
      { ms: 20, pixels: 2_000_000 },
    ];
    const s = summarize(calls);
    expect(s.calls).toBe(3);
    expect(s.totalMs).toBe(60);
    expect(s.mpps).toBeCloseTo(4 / 0.06);
    expect(s.imagesPerSecond).toBeCloseTo(50);
    expect(s.p50ms).toBe(20);
    expect(s.p95ms).toBeCloseTo(29);
  });
});

describe('addRatios', () => {
  const row = (workload: Measurement['workload'], contender: string, mpps: number): Measurement => ({
    workload,
    contender,
    label: contender,
    setup: '',
    calls: 1,
    totalMs: 1,
    mpps,
    imagesPerSecond: 1,
    p50ms: 1,
    p95ms: 1,
  });

  it('divides the reference MP/s by each row of the same workload', () => {
    const rows = addRatios(
      [row('decode', 'jpegkit-wasm', 80), row('decode', 'jpeg-js', 10), row('encode', 'jpeg-js', 5)],
      'jpegkit-wasm',
    );
    expect(rows.map((r) => r.jpegkitRatio)).toEqual([1, 8, undefined]);
  });
});
