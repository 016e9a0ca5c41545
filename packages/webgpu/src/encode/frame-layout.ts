import type { ResolvedEncodeOptions } from '@jpegkit/core';

/** How libjpeg's jinit_downsampler downsamples a component (jcsample.c, no smoothing). */
export const DOWNSAMPLE_METHOD = { fullsize: 0, h2v1: 1, h2v2: 2, integral: 3 } as const;

/** Which colour component a plane holds (jccolor.c's outputs; Y is also the gray of a grayscale JPEG). */
export const COMPONENT_KIND = { y: 0, cb: 1, cr: 2 } as const;

/** One component of the frame an encode writes, with everything its kernels and the coefficient writer need. */
export interface EncodeComponent {
  /** Component id as jpeg_set_colorspace assigns it: 1, 2, 3. */
  id: number;
  kind: (typeof COMPONENT_KIND)[keyof typeof COMPONENT_KIND];
  h: number;
  v: number;
  widthInBlocks: number;
  heightInBlocks: number;
  /** The block grid padded to whole MCUs (what @jpegkit/wasm's DctComponent stores). */
  blocksPerRow: number;
  blockRows: number;
  method: (typeof DOWNSAMPLE_METHOD)[keyof typeof DOWNSAMPLE_METHOD];
  hExpand: number;
  vExpand: number;
  /** The last downsampled row made from image rows (later rows repeat it): ceil(height / maxV) · v − 1. */
  lastRow: number;
  /** 0 (luminance) or 1 (chrominance): which quantisation table. */
  table: 0 | 1;
}

export interface EncodeFrame {
  width: number;
  height: number;
  colorSpace: 'ycbcr' | 'gray';
  maxH: number;
  maxV: number;
  components: EncodeComponent[];
}

/** Luma sampling factors per subsampling (chroma is 1×1), as @jpegkit/wasm's encoder sets them. */
const LUMA_FACTORS: Record<ResolvedEncodeOptions['subsampling'], [number, number]> = {
  '4:4:4': [1, 1],
  '4:2:2': [2, 1],
  '4:2:0': [2, 2],
  '4:4:0': [1, 2],
  '4:1:1': [4, 1],
  gray: [1, 1],
};

/**
 * The frame libjpeg sets up for an encode: one gray component for gray pixels or subsampling 'gray' (as
 * jpeg_set_defaults picks for gray input and jpeg_set_colorspace(JCS_GRAYSCALE) for the other), else Y, Cb, Cr
 * with the luma factors of `subsampling`. Block counts as jcmaster's initial_setup computes them.
 */
export function encodeFrame(
  width: number,
  height: number,
  subsampling: ResolvedEncodeOptions['subsampling'],
  grayPixels: boolean,
): EncodeFrame {
  const gray = grayPixels || subsampling === 'gray';
  const [lumaH, lumaV] = gray ? [1, 1] : LUMA_FACTORS[subsampling];
  const factors: [number, number, EncodeComponent['kind']][] = gray
    ? [[1, 1, COMPONENT_KIND.y]]
    : [
        [lumaH, lumaV, COMPONENT_KIND.y],
        [1, 1, COMPONENT_KIND.cb],
        [1, 1, COMPONENT_KIND.cr],
      ];
  const maxH = Math.max(...factors.map((f) => f[0]));
  const maxV = Math.max(...factors.map((f) => f[1]));
  const components = factors.map(([h, v, kind], index): EncodeComponent => {
    const widthInBlocks = Math.ceil((width * h) / (maxH * 8));
    const heightInBlocks = Math.ceil((height * v) / (maxV * 8));
    const hExpand = maxH / h;
    const vExpand = maxV / v;
    let method: EncodeComponent['method'] = DOWNSAMPLE_METHOD.integral;
    if (hExpand === 1 && vExpand === 1) method = DOWNSAMPLE_METHOD.fullsize;
    else if (hExpand === 2 && vExpand === 1) method = DOWNSAMPLE_METHOD.h2v1;
    else if (hExpand === 2 && vExpand === 2) method = DOWNSAMPLE_METHOD.h2v2;
    return {
      id: index + 1,
      kind,
      h,
      v,
      widthInBlocks,
      heightInBlocks,
      blocksPerRow: Math.ceil(widthInBlocks / h) * h,
      blockRows: Math.ceil(heightInBlocks / v) * v,
      method,
      hExpand,
      vExpand,
      lastRow: Math.ceil(height / maxV) * v - 1,
      table: kind === COMPONENT_KIND.y ? 0 : 1,
    };
  });
  return { width, height, colorSpace: gray ? 'gray' : 'ycbcr', maxH, maxV, components };
}
