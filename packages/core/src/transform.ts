import { checkBoolean, checkInteger, checkObject, checkOneOf, invalidArgument } from './args.js';
import { checkCrop } from './options.js';
import type { CropRect } from './pipeline.js';

/**
 * A lossless transform in the DCT domain (what jpegtran does): no decode, no generational loss.
 * Steps apply in this order: crop, then rotate/flip/transpose, then the output options.
 */
export interface TransformOptions {
  /** Clockwise rotation. */
  rotate?: 90 | 180 | 270;
  /** 'horizontal' mirrors left–right, 'vertical' top–bottom. */
  flip?: 'horizontal' | 'vertical';
  /** Mirror across the top-left/bottom-right diagonal ('transverse' across the other). */
  transpose?: boolean;
  transverse?: boolean;
  /** Region to keep; its top-left corner moves to the enclosing iMCU boundary (as `jpegtran -crop`). */
  crop?: CropRect;
  /** Drop the colour components. */
  gray?: boolean;
  /** Rewrite as progressive (true) or sequential baseline (false); unset keeps the input's. */
  progressive?: boolean;
  /** Insert restart markers every N MCUs (0 removes them). */
  restartInterval?: number;
  /** Optimised Huffman tables. */
  optimize?: boolean;
  /** Drop partial edge iMCUs that cannot be transformed losslessly (jpegtran -trim). Default true. */
  trim?: boolean;
  /** Which metadata to keep: 'all' (default), 'icc' (only the ICC profile), 'none'. */
  metadata?: 'all' | 'icc' | 'none';
}

/** Transform options after checks and defaults. */
export interface ResolvedTransformOptions {
  rotate: 0 | 90 | 180 | 270;
  flip?: 'horizontal' | 'vertical';
  transpose: boolean;
  transverse: boolean;
  crop?: CropRect;
  gray: boolean;
  progressive?: boolean;
  restartInterval?: number;
  optimize: boolean;
  trim: boolean;
  metadata: 'all' | 'icc' | 'none';
}

export function resolveTransformOptions(options: TransformOptions = {}): ResolvedTransformOptions {
  const o = checkObject(options, 'options');
  const resolved: ResolvedTransformOptions = {
    rotate: o.rotate === undefined ? 0 : checkOneOf(o.rotate, 'rotate', [90, 180, 270] as const),
    transpose: o.transpose === undefined ? false : checkBoolean(o.transpose, 'transpose'),
    transverse: o.transverse === undefined ? false : checkBoolean(o.transverse, 'transverse'),
    gray: o.gray === undefined ? false : checkBoolean(o.gray, 'gray'),
    optimize: o.optimize === undefined ? false : checkBoolean(o.optimize, 'optimize'),
    trim: o.trim === undefined ? true : checkBoolean(o.trim, 'trim'),
    metadata:
      o.metadata === undefined ? 'all' : checkOneOf(o.metadata, 'metadata', ['all', 'icc', 'none'] as const),
  };
  if (o.flip !== undefined) resolved.flip = checkOneOf(o.flip, 'flip', ['horizontal', 'vertical'] as const);
  if (o.crop !== undefined) resolved.crop = checkCrop(o.crop);
  if (o.progressive !== undefined) resolved.progressive = checkBoolean(o.progressive, 'progressive');
  if (o.restartInterval !== undefined)
    resolved.restartInterval = checkInteger(o.restartInterval, 'restartInterval', 0, 65535);
  const geometric = [
    resolved.rotate !== 0,
    resolved.flip !== undefined,
    resolved.transpose,
    resolved.transverse,
  ].filter(Boolean);
  if (geometric.length > 1) {
    throw invalidArgument('at most one of rotate, flip, transpose, transverse', 'options', o);
  }
  return resolved;
}
