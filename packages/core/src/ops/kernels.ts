import type { ResizeFilter } from '../pipeline.js';

/**
 * A continuous resampling kernel k(x), x in source pixels at scale 1, zero for |x| ≥ radius. When shrinking,
 * resize evaluates k(x / factor) over radius · factor instead (see contributions.ts).
 */
export interface Kernel {
  radius: number;
  weight: (x: number) => number;
}

/** The triangle (tent) kernel of bilinear interpolation: 1 − |x| on (−1, 1). */
export function triangle(x: number): number {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
}

/**
 * The Mitchell–Netravali family of cubics with parameters B and C, on (−2, 2):
 * |x| < 1:  ((12 − 9B − 6C)|x|³ + (−18 + 12B + 6C)|x|² + (6 − 2B)) / 6
 * |x| < 2:  ((−B − 6C)|x|³ + (6B + 30C)|x|² + (−12B − 48C)|x| + (8B + 24C)) / 6
 * B = C = 1/3 is Mitchell's recommended filter; B = 0, C = 1/2 is Catmull–Rom (interpolating, sharper).
 */
export function bcCubic(b: number, c: number): (x: number) => number {
  return (x) => {
    const a = Math.abs(x);
    if (a < 1) return ((12 - 9 * b - 6 * c) * a * a * a + (-18 + 12 * b + 6 * c) * a * a + (6 - 2 * b)) / 6;
    if (a < 2) {
      return (
        ((-b - 6 * c) * a * a * a + (6 * b + 30 * c) * a * a + (-12 * b - 48 * c) * a + (8 * b + 24 * c)) / 6
      );
    }
    return 0;
  };
}

/** sin(πx)/(πx), 1 at 0. */
export function sinc(x: number): number {
  if (x === 0) return 1;
  const p = Math.PI * x;
  return Math.sin(p) / p;
}

/** Lanczos with `lobes` lobes: sinc(x) · sinc(x / lobes) on (−lobes, lobes). */
export function lanczos(lobes: number): (x: number) => number {
  return (x) => (Math.abs(x) < lobes ? sinc(x) * sinc(x / lobes) : 0);
}

/**
 * The kernel of each filter that is a kernel. 'nearest' and 'box' are not sampled kernels — they are defined
 * directly on pixel positions and areas in contributions.ts — so they are absent.
 */
export const KERNELS: Readonly<Record<Exclude<ResizeFilter, 'nearest' | 'box'>, Kernel>> = {
  bilinear: { radius: 1, weight: triangle },
  mitchell: { radius: 2, weight: bcCubic(1 / 3, 1 / 3) },
  'catmull-rom': { radius: 2, weight: bcCubic(0, 1 / 2) },
  lanczos3: { radius: 3, weight: lanczos(3) },
};
