import { checkInteger, checkOneOf, SUBSAMPLINGS } from '@jpegkit/core';
import type { ResolvedEncodeOptions } from '@jpegkit/core';
import type { DctCoefficients } from '@jpegkit/wasm';
import type { GpuPixels } from '../gpu-pixels.js';
import type { GpuContext } from '../gpu-context.js';
import { USAGE } from '../buffer-pool.js';
import { GpuFrame } from '../ops/gpu-frame.js';
import { ParamWriter } from '../ops/params.js';
import { checkBindingSize } from '../ops/pixels-out.js';
import { encodeFrame } from './frame-layout.js';
import type { EncodeComponent, EncodeFrame } from './frame-layout.js';
import { quantTablesForQuality } from './quant-tables.js';

const SAMPLE_SHADER = new URL('../shaders/encode-sample.wgsl', import.meta.url);
const FDCT_SHADER = new URL('../shaders/fdct-quantize.wgsl', import.meta.url);

/** What decides the coefficients: the quality (its tables) and the chroma subsampling. */
export type CoefficientOptions = Pick<ResolvedEncodeOptions, 'quality' | 'subsampling'>;

function componentParams(
  frame: EncodeFrame,
  c: EncodeComponent,
  outOffset: number,
): Uint32Array<ArrayBuffer> {
  return new ParamWriter()
    .u32(frame.width)
    .u32(frame.height)
    .u32(c.kind)
    .u32(c.method)
    .u32(c.hExpand)
    .u32(c.vExpand)
    .u32(c.lastRow)
    .u32(c.blocksPerRow * 8)
    .u32(c.blockRows * 8)
    .u32(c.widthInBlocks)
    .u32(c.heightInBlocks)
    .u32(c.blocksPerRow)
    .u32(c.blockRows)
    .u32(outOffset)
    .finish();
}

/**
 * The quantised DCT coefficients of GPU pixels, computed on the GPU exactly as libjpeg-turbo's compressor
 * computes them for `cjpeg -quality Q -sample HxV` (and @jpegkit/wasm's encoder) from the same RGB or gray
 * samples: RGB→YCbCr with jccolor.c's fixed point, jcsample.c's downsampling with its edge padding and bias
 * pattern, jfdctint.c's islow FDCT and jcdctmgr.c's quantisation by jpeg_set_quality's tables — all in i32,
 * bit-exact. Only the coefficient planes come back to the host (int16, as @jpegkit/wasm's writeCoefficients
 * takes them); blocks of the MCU padding past the image are zero (the writer codes its own dummy blocks there,
 * as libjpeg does). Gray pixels (or subsampling 'gray') give one Y component.
 *
 * @example
 * ```ts
 * const coefficients = await computeDctCoefficients(ctx, pixels, { quality: 90, subsampling: '4:2:0' });
 * const jpeg = writeCoefficients(wasm, coefficients, { optimize: false });
 * ```
 */
export async function computeDctCoefficients(
  ctx: GpuContext,
  pixels: GpuPixels,
  options: CoefficientOptions,
): Promise<DctCoefficients> {
  checkInteger(options.quality, 'quality', 1, 100);
  checkOneOf(options.subsampling, 'subsampling', SUBSAMPLINGS);
  const frame = encodeFrame(pixels.width, pixels.height, options.subsampling, pixels.gray);
  const tables = quantTablesForQuality(options.quality);
  const device = ctx.device;
  const [samplePipeline, fdctPipeline] = await Promise.all([
    ctx.kernels.pipeline(SAMPLE_SHADER),
    ctx.kernels.pipeline(FDCT_SHADER),
  ]);

  const offsets: number[] = [];
  let words = 0;
  for (const c of frame.components) {
    offsets.push(words);
    words += c.blocksPerRow * c.blockRows * 32;
  }
  checkBindingSize(device, words * 4, `the DCT coefficients of a ${frame.width}x${frame.height} image`);
  const gpu = await GpuFrame.open(ctx);
  const coefficients = gpu.scratch(words * 4);
  const readback = ctx.buffers.acquire(words * 4, USAGE.MAP_READ | USAGE.COPY_DST, 'jpegkit read-back');
  try {
    frame.components.forEach((c, ci) => {
      const planeBytes = c.blocksPerRow * 8 * c.blockRows * 8;
      checkBindingSize(device, planeBytes, `a ${c.blocksPerRow * 8}x${c.blockRows * 8} component plane`);
      const params = gpu.uniform(componentParams(frame, c, offsets[ci]!));
      const plane = gpu.scratch(planeBytes);
      const quant = c.table === 0 ? tables.luminance : tables.chrominance;
      const divisors = gpu.table(Uint32Array.from(quant, (q) => q * 8));
      gpu.dispatch(
        samplePipeline,
        [params, pixels.buffer, plane],
        Math.ceil((c.blocksPerRow * 2) / 16),
        Math.ceil((c.blockRows * 8) / 16),
      );
      gpu.dispatch(
        fdctPipeline,
        [params, plane, divisors, coefficients],
        Math.ceil(c.blocksPerRow / 8),
        Math.ceil(c.blockRows / 8),
      );
    });
    gpu.copy(coefficients, readback, words * 4);
  } catch (error) {
    ctx.buffers.release(readback);
    await gpu.abandon();
    throw error;
  }
  let values: Int16Array;
  try {
    await gpu.submit();
    await ctx.map(readback, words * 4);
    values = new Int16Array(readback.getMappedRange(0, words * 4).slice(0));
    readback.unmap();
  } finally {
    if (readback.mapState === 'unmapped') ctx.buffers.release(readback);
  }
  return {
    width: frame.width,
    height: frame.height,
    colorSpace: frame.colorSpace,
    progressive: false,
    arithmetic: false,
    restartInterval: 0,
    maxH: frame.maxH,
    maxV: frame.maxV,
    components: frame.components.map((c, ci) => {
      const start = offsets[ci]! * 2;
      return {
        id: c.id,
        h: c.h,
        v: c.v,
        widthInBlocks: c.widthInBlocks,
        heightInBlocks: c.heightInBlocks,
        blocksPerRow: c.blocksPerRow,
        blockRows: c.blockRows,
        quantTable: c.table === 0 ? tables.luminance : tables.chrominance,
        coefficients: values.subarray(start, start + c.blocksPerRow * c.blockRows * 64),
      };
    }),
  };
}
