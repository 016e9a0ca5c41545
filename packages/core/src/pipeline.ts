import type { Orientation, PixelFormat } from './image.js';

/** Resampling kernels. 'box' is area averaging; 'bilinear' the triangle filter; 'mitchell' and 'catmull-rom'
 * the cubic B/C filters (1/3,1/3) and (0,1/2); 'lanczos3' the windowed sinc with 3 lobes. */
export const RESIZE_FILTERS = ['nearest', 'bilinear', 'mitchell', 'catmull-rom', 'lanczos3', 'box'] as const;
export type ResizeFilter = (typeof RESIZE_FILTERS)[number];

/** How the image fits the requested box, as sharp defines it. */
export const FIT_MODES = ['fill', 'contain', 'cover', 'inside', 'outside'] as const;
export type FitMode = (typeof FIT_MODES)[number];

export interface ResizeOptions {
  width?: number;
  height?: number;
  /** Default 'cover'. */
  fit?: FitMode;
  /** Default 'lanczos3'. */
  filter?: ResizeFilter;
  /** Resize in linear light (sRGB → linear → sRGB). Default false. */
  linear?: boolean;
  /** Padding colour for 'contain', RGBA 0–255. Default opaque black. */
  background?: [number, number, number, number];
}

export interface SharpenOptions {
  /** Gaussian sigma of the unsharp mask, 0.3–10. */
  sigma: number;
  /** Strength: out = v + amount · (v − blur). Default 1. */
  amount?: number;
  /** Differences at or below this (0–255) are left alone. Default 0. */
  threshold?: number;
}

export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AdjustOptions {
  /** Added to every colour sample, in units of full scale (−1 … 1). Default 0. */
  brightness?: number;
  /** Multiplies the distance from mid-grey 128 (0 … 4). Default 1. */
  contrast?: number;
}

/** One pixel operation with every option resolved; the unit backends execute and the reference ops define. */
export type OpStep =
  | {
      op: 'resize';
      width: number;
      height: number;
      fit: FitMode;
      filter: ResizeFilter;
      linear: boolean;
      background: [number, number, number, number];
    }
  | { op: 'sharpen'; sigma: number; amount: number; threshold: number }
  | ({ op: 'crop' } & CropRect)
  | { op: 'rotate'; angle: 90 | 180 | 270 }
  | { op: 'flip' }
  | { op: 'flop' }
  | { op: 'orient'; orientation: Orientation }
  | { op: 'adjust'; brightness: number; contrast: number }
  | { op: 'convert'; format: PixelFormat };

export type OpName = OpStep['op'];

/** Every pixel-op kind, in the order backends list them in their capabilities. */
export const OP_NAMES = [
  'resize',
  'sharpen',
  'crop',
  'rotate',
  'flip',
  'flop',
  'orient',
  'adjust',
  'convert',
] as const satisfies readonly OpName[];
