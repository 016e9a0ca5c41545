import { channelCount, pixelOffset } from '../image.js';
import type { HostImage } from '../image.js';

/** How two images differ, channel by channel, over every pixel. */
export interface ImageDiff {
  /** Largest absolute difference of one channel sample. */
  maxAbs: number;
  meanAbs: number;
  /** Peak signal-to-noise ratio in dB (Infinity for identical images). */
  psnr: number;
  /** The first sample that differs by more than the tolerance asked for, if any. */
  first?: { x: number; y: number; channel: number; actual: number; expected: number };
}

/** Compares two images of the same size and channel count (layouts and strides may differ). */
export function diffImages(actual: HostImage, expected: HostImage, tolerance = 0): ImageDiff {
  if (actual.width !== expected.width || actual.height !== expected.height) {
    throw new Error(
      `size differs: got ${actual.width}×${actual.height}, expected ${expected.width}×${expected.height}`,
    );
  }
  const channels = channelCount(expected.format);
  if (channelCount(actual.format) !== channels) {
    throw new Error(`channel count differs: got ${actual.format}, expected ${expected.format}`);
  }
  let maxAbs = 0;
  let sumAbs = 0;
  let sumSq = 0;
  let first: ImageDiff['first'];
  for (let y = 0; y < expected.height; y++) {
    for (let x = 0; x < expected.width; x++) {
      for (let c = 0; c < channels; c++) {
        const a = actual.data[pixelOffset(actual, x, y, c)]!;
        const e = expected.data[pixelOffset(expected, x, y, c)]!;
        const d = Math.abs(a - e);
        if (d > maxAbs) maxAbs = d;
        if (d > tolerance && first === undefined) first = { x, y, channel: c, actual: a, expected: e };
        sumAbs += d;
        sumSq += d * d;
      }
    }
  }
  const n = expected.width * expected.height * channels;
  const mse = sumSq / n;
  const diff: ImageDiff = {
    maxAbs,
    meanAbs: sumAbs / n,
    psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse),
  };
  if (first) diff.first = first;
  return diff;
}

/** One line describing a difference, for assertion messages. */
export function describeDiff(diff: ImageDiff): string {
  const where = diff.first
    ? ` first at (${diff.first.x},${diff.first.y}) channel ${diff.first.channel}: ${diff.first.actual} vs ${diff.first.expected}`
    : '';
  return `max |Δ| ${diff.maxAbs}, mean |Δ| ${diff.meanAbs.toFixed(4)}, PSNR ${diff.psnr.toFixed(2)} dB${where}`;
}
