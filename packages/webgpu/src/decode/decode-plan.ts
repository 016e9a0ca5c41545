/**
 * What a decode does on the GPU, worked out on the host from the frame's facts the way libjpeg-turbo 2.1.5
 * decides it for `djpeg -dct int` (jdmaster.c's per-component DCT scaling, jdsample.c's choice of upsampler,
 * jdcolor.c's conversion): the IDCT size of each component, the planes it writes, how each is upsampled and how
 * the samples become pixels.
 */
import type { DctScale } from '@jpegkit/core';

/** jdsample.c's upsampling methods (the numbers decode-color.wgsl uses). */
export const UPSAMPLE = { box: 0, h2v1Fancy: 1, h1v2Fancy: 2, h2v2Fancy: 3 } as const;
export type UpsampleMethod = (typeof UPSAMPLE)[keyof typeof UPSAMPLE];

/** Colour conversions (the numbers decode-color.wgsl uses). */
export const COLOR = { gray: 0, ycc: 1, rgb: 2, cmyk: 3, ycck: 4, rgbGray: 5 } as const;
export type ColorMode = (typeof COLOR)[keyof typeof COLOR];

/** The frame facts a plan needs (a subset of @jpegkit/wasm's DctCoefficients). */
export interface FrameFacts {
  width: number;
  height: number;
  colorSpace: string;
  maxH: number;
  maxV: number;
  components: readonly { h: number; v: number; blocksPerRow: number; blockRows: number }[];
}

export interface ComponentPlan {
  /** Index in the frame's component list. */
  index: number;
  blocksPerRow: number;
  blockRows: number;
  /** The IDCT's output block size: 8 (islow), 4, 2 or 1 (jidctred.c). */
  blockSize: number;
  /** The plane the IDCT writes: blocksPerRow × blockSize by blockRows × blockSize samples. */
  planeWidth: number;
  planeHeight: number;
  /** libjpeg's downsampled_width / downsampled_height: the real samples, at this scale. */
  samplesWide: number;
  samplesHigh: number;
  method: UpsampleMethod;
  /** Replication factors of the box method. */
  hExpand: number;
  vExpand: number;
}

export interface DecodePlan {
  /** Output size (scaled as libjpeg rounds it). */
  width: number;
  height: number;
  color: ColorMode;
  /** Only the components the conversion reads, in its order. */
  components: ComponentPlan[];
}

const COLOR_COMPONENTS: Record<ColorMode, number> = {
  [COLOR.gray]: 1,
  [COLOR.ycc]: 3,
  [COLOR.rgb]: 3,
  [COLOR.cmyk]: 4,
  [COLOR.ycck]: 4,
  [COLOR.rgbGray]: 3,
};

function colorMode(colorSpace: string, count: number, gray: boolean): ColorMode | string {
  switch (colorSpace) {
    case 'gray':
      return COLOR.gray;
    case 'ycbcr':
      return gray ? COLOR.gray : COLOR.ycc;
    case 'rgb':
      return gray ? COLOR.rgbGray : COLOR.rgb;
    case 'cmyk':
    case 'ycck':
      if (gray) return 'CMYK/YCCK JPEG cannot be decoded to gray';
      return colorSpace === 'cmyk' ? COLOR.cmyk : COLOR.ycck;
    default:
      return `JPEG with ${count} components in an unknown color space is not supported`;
  }
}

/**
 * The plan for decoding `frame` at `scale` (to gray when `gray`), or a sentence saying why it cannot be done
 * (the cases libjpeg refuses too).
 */
export function planDecode(frame: FrameFacts, scale: DctScale, gray: boolean): DecodePlan | string {
  const color = colorMode(frame.colorSpace, frame.components.length, gray);
  if (typeof color === 'string') return color;
  const used = COLOR_COMPONENTS[color];
  if (frame.components.length < used) {
    return `a ${frame.colorSpace} JPEG needs ${used} components, this one has ${frame.components.length}`;
  }
  // jdmaster.c: the smallest IDCT is scale × 8; each component's grows by doubling while its sampling factors
  // leave room, so subsampled chroma is scaled up by the IDCT rather than the upsampler.
  const minSize = scale * 8;
  const { maxH, maxV } = frame;
  // do_fancy: jdmainct.c has no context rows when the smallest IDCT is 1×1.
  const fancy = minSize > 1;
  const components: ComponentPlan[] = [];
  for (let index = 0; index < used; index++) {
    const c = frame.components[index]!;
    let size = minSize;
    while (size < 8 && (maxH * minSize) % (c.h * size * 2) === 0 && (maxV * minSize) % (c.v * size * 2) === 0)
      size *= 2;
    const samplesWide = Math.ceil((frame.width * c.h * size) / (maxH * 8));
    const samplesHigh = Math.ceil((frame.height * c.v * size) / (maxV * 8));
    // jdsample.c: an input group of hIn × vIn samples becomes maxH × maxV pixels.
    const hIn = (c.h * size) / minSize;
    const vIn = (c.v * size) / minSize;
    let method: UpsampleMethod = UPSAMPLE.box;
    let hExpand = 1;
    let vExpand = 1;
    if (!Number.isInteger(hIn) || !Number.isInteger(vIn) || maxH % hIn !== 0 || maxV % vIn !== 0) {
      return 'fractional sampling ratios are not supported (libjpeg refuses them too)';
    }
    if (hIn * 2 === maxH && vIn === maxV && fancy && samplesWide > 2) method = UPSAMPLE.h2v1Fancy;
    else if (hIn === maxH && vIn * 2 === maxV && fancy) method = UPSAMPLE.h1v2Fancy;
    else if (hIn * 2 === maxH && vIn * 2 === maxV && fancy && samplesWide > 2) method = UPSAMPLE.h2v2Fancy;
    else {
      hExpand = maxH / hIn;
      vExpand = maxV / vIn;
    }
    components.push({
      index,
      blocksPerRow: c.blocksPerRow,
      blockRows: c.blockRows,
      blockSize: size,
      planeWidth: c.blocksPerRow * size,
      planeHeight: c.blockRows * size,
      samplesWide,
      samplesHigh,
      method,
      hExpand,
      vExpand,
    });
  }
  return {
    width: Math.ceil((frame.width * minSize) / 8),
    height: Math.ceil((frame.height * minSize) / 8),
    color,
    components,
  };
}
