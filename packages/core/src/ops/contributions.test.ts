import { describe, expect, it } from 'vitest';
import { computeContributions } from './contributions.js';
import { RESIZE_FILTERS } from '../pipeline.js';
import type { ContributionTable } from './contributions.js';

/** The weights of output d, without the zero padding. */
function row(t: ContributionTable, d: number): number[] {
  return Array.from(t.weights.subarray(d * t.taps, d * t.taps + t.count[d]!));
}

describe('computeContributions', () => {
  it('nearest picks floor((d + 0.5) · scale)', () => {
    const t = computeContributions(4, 2, 'nearest');
    expect(Array.from(t.start)).toEqual([1, 3]);
    expect(Array.from(t.count)).toEqual([1, 1]);
    expect(Array.from(t.weights)).toEqual([1, 1]);
    // Enlarging 2 → 5: (d + 0.5) · 0.4 = 0.2, 0.6, 1.0, 1.4, 1.8.
    expect(Array.from(computeContributions(2, 5, 'nearest').start)).toEqual([0, 0, 1, 1, 1]);
    // Shrinking 3 → 2: (d + 0.5) · 1.5 = 0.75, 2.25.
    expect(Array.from(computeContributions(3, 2, 'nearest').start)).toEqual([0, 2]);
  });

  it('box weighs inputs by the area they share with the output footprint', () => {
    // 3 → 2: output 0 covers [0, 1.5): all of input 0, half of input 1.
    const t = computeContributions(3, 2, 'box');
    expect(Array.from(t.start)).toEqual([0, 1]);
    expect(row(t, 0)).toEqual([Math.fround(2 / 3), Math.fround(1 / 3)]);
    expect(row(t, 1)).toEqual([Math.fround(1 / 3), Math.fround(2 / 3)]);
    // 4 → 2: plain pairs.
    const h = computeContributions(4, 2, 'box');
    expect(Array.from(h.start)).toEqual([0, 2]);
    expect([row(h, 0), row(h, 1)]).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    // 2 → 3 (enlarging): [0, 2/3) inside input 0; [2/3, 4/3) half and half; [4/3, 2) inside input 1.
    const u = computeContributions(2, 3, 'box');
    expect(Array.from(u.start)).toEqual([0, 0, 1]);
    expect([row(u, 0), row(u, 1), row(u, 2)]).toEqual([[1], [0.5, 0.5], [1]]);
  });

  it('bilinear enlarging 2 → 4 samples at centres −0.25, 0.25, 0.75, 1.25 with clamped edges', () => {
    const t = computeContributions(2, 4, 'bilinear');
    // Output 0: input −1 (weight 0.25, clamped onto input 0) and input 0 (0.75) → all on input 0.
    expect(Array.from(t.start)).toEqual([0, 0, 0, 1]);
    expect([row(t, 0), row(t, 1), row(t, 2), row(t, 3)]).toEqual([[1], [0.75, 0.25], [0.25, 0.75], [1]]);
  });

  it('bilinear shrinking 4 → 2 stretches the triangle to radius 2 (antialiasing)', () => {
    // Output 0 centres on 0.5; inputs −1, 0, 1, 2 sit at (i − 0.5) / 2 = −0.75, −0.25, 0.25, 0.75 → weights
    // 0.25, 0.75, 0.75, 0.25 (sum 2), input −1 folded onto input 0.
    const t = computeContributions(4, 2, 'bilinear');
    expect(Array.from(t.start)).toEqual([0, 1]);
    expect(row(t, 0)).toEqual([0.5, 0.375, 0.125]);
    expect(row(t, 1)).toEqual([0.125, 0.375, 0.5]);
  });

  it('catmull-rom at scale 1 is the identity (one tap of weight 1)', () => {
    const t = computeContributions(5, 5, 'catmull-rom');
    expect(Array.from(t.start)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(t.count)).toEqual([1, 1, 1, 1, 1]);
  });

  it('mitchell at scale 1 blurs with weights 1/18, 8/9, 1/18', () => {
    const t = computeContributions(5, 5, 'mitchell');
    expect(row(t, 2).map((w) => w * 18)).toEqual([
      expect.closeTo(1, 5),
      expect.closeTo(16, 5),
      expect.closeTo(1, 5),
    ]);
  });

  for (const filter of RESIZE_FILTERS) {
    it(`${filter}: weights sum to 1 and stay inside the input, shrinking and enlarging`, () => {
      for (const [src, dst] of [
        [1, 7],
        [7, 1],
        [10, 3],
        [3, 10],
        [640, 160],
        [17, 23],
      ] as const) {
        const t = computeContributions(src, dst, filter);
        for (let d = 0; d < dst; d++) {
          expect(t.start[d]!).toBeGreaterThanOrEqual(0);
          expect(t.start[d]! + t.count[d]!).toBeLessThanOrEqual(src);
          expect(row(t, d).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
        }
      }
    });
  }

  it('lanczos3 shrinking by 4 reads 24 inputs (support 3 · 4 each side)', () => {
    const t = computeContributions(1024, 256, 'lanczos3');
    expect(t.count[128]).toBe(24);
    // Centre 128.5 · 4 − 0.5 = 513.5; inputs 502 … 525 lie strictly within ±12 of it.
    expect(t.start[128]).toBe(502);
  });

  it('rejects bad sizes and filters', () => {
    expect(() => computeContributions(0, 4, 'box')).toThrow(
      'Expected integer between 1 and 1073741824 for srcSize but received 0',
    );
    expect(() => computeContributions(4, 4, 'cubic' as never)).toThrow(/for filter but received "cubic"/);
  });
});
