import { checkInteger, checkOneOf } from '../args.js';
import { RESIZE_FILTERS } from '../pipeline.js';
import { KERNELS } from './kernels.js';
import type { ResizeFilter } from '../pipeline.js';

/**
 * For each output coordinate along one axis, which input samples it blends and with what weights. Output
 * `d` is `Σ_{k < count[d]} weights[d · taps + k] · in[start[d] + k]`.
 *
 * The layout is chosen for porting: fixed-size rows of `taps` weights (zero-padded) fit a C array or a WGSL
 * storage buffer, and `start[d] + count[d] ≤ srcSize` always, so a kernel loops over `count` without any edge
 * test — edge clamping is already folded into the weights.
 */
export interface ContributionTable {
  srcSize: number;
  dstSize: number;
  /** The largest `count`; the row length of `weights`. */
  taps: number;
  /** First input index each output reads (0 ≤ start < srcSize). */
  start: Int32Array;
  /** How many consecutive inputs each output reads (≥ 1). */
  count: Int32Array;
  /** dstSize × taps weights; each output's first `count` weights sum to 1 (to float32 precision). */
  weights: Float32Array;
}

/**
 * The contribution table of `filter` for resampling `srcSize` samples to `dstSize`. Conventions, which every
 * backend must copy:
 *
 * - Pixel centres: output d sits at input coordinate `centre = (d + 0.5) · scale − 0.5`, scale = srcSize / dstSize.
 * - Kernels (bilinear, mitchell, catmull-rom, lanczos3): when shrinking (scale > 1) the kernel is stretched by
 *   the factor — weight of input i is k((i − centre) / scale), over a support of radius · scale — which is the
 *   antialiasing; when enlarging it is sampled at scale 1: k(i − centre).
 * - 'nearest': the single input `floor((d + 0.5) · scale)`, clamped to srcSize − 1.
 * - 'box': area averaging. Output d covers the input interval [d · scale, (d + 1) · scale) (input i covering
 *   [i, i + 1)); each input weighs the length of its overlap with it. When shrinking by an integer factor n this
 *   is the plain mean of n inputs; when enlarging, an output lying inside one input copies it (pixel
 *   replication) and one straddling a boundary blends the two by area.
 * - Edges replicate: an index below 0 or past the end reads the first or last sample, i.e. its weight is added
 *   to that sample's.
 * - Weights are normalised to sum to 1 (computed in double, stored as float32); weights of exactly zero at
 *   either end (e.g. bilinear on an exact sample) are trimmed.
 */
export function computeContributions(
  srcSize: number,
  dstSize: number,
  filter: ResizeFilter,
): ContributionTable {
  checkInteger(srcSize, 'srcSize', 1, 2 ** 30);
  checkInteger(dstSize, 'dstSize', 1, 2 ** 30);
  checkOneOf(filter, 'filter', RESIZE_FILTERS);
  const scale = srcSize / dstSize;
  const rows: { start: number; weights: number[] }[] = [];
  for (let d = 0; d < dstSize; d++) {
    if (filter === 'nearest') {
      rows.push({ start: Math.min(Math.floor((d + 0.5) * scale), srcSize - 1), weights: [1] });
    } else if (filter === 'box') {
      rows.push(boxRow(d, scale, srcSize));
    } else {
      rows.push(kernelRow(d, scale, srcSize, filter));
    }
  }
  const taps = rows.reduce((m, r) => Math.max(m, r.weights.length), 0);
  const table: ContributionTable = {
    srcSize,
    dstSize,
    taps,
    start: new Int32Array(dstSize),
    count: new Int32Array(dstSize),
    weights: new Float32Array(dstSize * taps),
  };
  rows.forEach((row, d) => {
    table.start[d] = row.start;
    table.count[d] = row.weights.length;
    table.weights.set(row.weights, d * taps);
  });
  return table;
}

/** One output's weights under a sampled kernel, with clamped edges folded in, trimmed and normalised. */
function kernelRow(
  d: number,
  scale: number,
  srcSize: number,
  filter: Exclude<ResizeFilter, 'nearest' | 'box'>,
): { start: number; weights: number[] } {
  const kernel = KERNELS[filter];
  const stretch = Math.max(scale, 1);
  const support = kernel.radius * stretch;
  const centre = (d + 0.5) * scale - 0.5;
  const lo = Math.floor(centre - support);
  const hi = Math.ceil(centre + support);
  // Inputs lo..hi, clamped, cover the contiguous range clamp(lo)..clamp(hi).
  const first = Math.max(0, Math.min(lo, srcSize - 1));
  const last = Math.max(0, Math.min(hi, srcSize - 1));
  const weights = new Array<number>(last - first + 1).fill(0);
  for (let i = lo; i <= hi; i++) {
    const w = kernel.weight((i - centre) / stretch);
    const j = Math.max(0, Math.min(i, srcSize - 1));
    weights[j - first]! += w;
  }
  return normalise(first, weights);
}

/** One output's weights under area averaging: overlap of [d·scale, (d+1)·scale) with each input [i, i+1). */
function boxRow(d: number, scale: number, srcSize: number): { start: number; weights: number[] } {
  const left = d * scale;
  const right = Math.min((d + 1) * scale, srcSize);
  const first = Math.min(Math.floor(left), srcSize - 1);
  const weights: number[] = [];
  for (let i = first; i < right; i++) weights.push(Math.max(0, Math.min(i + 1, right) - Math.max(i, left)));
  // Overlaps below a millionth of a pixel are rounding noise of d·scale, not coverage.
  for (let k = 0; k < weights.length; k++) if (weights[k]! < 1e-6 * scale) weights[k] = 0;
  return normalise(first, weights);
}

/** Trims zero weights off both ends (moving `start` along) and scales the rest to sum to 1. */
function normalise(start: number, weights: number[]): { start: number; weights: number[] } {
  let a = 0;
  let b = weights.length;
  while (a < b - 1 && weights[a] === 0) a++;
  while (b > a + 1 && weights[b - 1] === 0) b--;
  const kept = weights.slice(a, b);
  const sum = kept.reduce((s, w) => s + w, 0);
  return { start: start + a, weights: kept.map((w) => w / sum) };
}
