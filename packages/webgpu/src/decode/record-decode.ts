/**
 * Records the GPU half of an exact decode: the coefficients go up, decode-idct.wgsl dequantises them and runs
 * libjpeg's IDCTs into component planes, decode-color.wgsl upsamples and converts them into GpuPixels.
 */
import { JpegError } from '@jpegkit/core';
import { BACKEND_NAME } from '../gpu-context.js';
import type { GpuContext } from '../gpu-context.js';
import { PIXEL_BUFFER_USAGE, pixelBufferBytes } from '../gpu-pixels.js';
import type { GpuPixels } from '../gpu-pixels.js';
import { COLOR } from './decode-plan.js';
import type { DecodePlan, FrameFacts } from './decode-plan.js';
import { USAGE } from '../buffer-pool.js';

export const DECODE_SHADERS = {
  idct: new URL('../shaders/decode-idct.wgsl', import.meta.url),
  color: new URL('../shaders/decode-color.wgsl', import.meta.url),
} as const;

export interface DecodeKernels {
  idct: GPUComputePipeline;
  color: GPUComputePipeline;
}

export async function decodeKernels(ctx: GpuContext): Promise<DecodeKernels> {
  const [idct, color] = await Promise.all([
    ctx.kernels.pipeline(DECODE_SHADERS.idct),
    ctx.kernels.pipeline(DECODE_SHADERS.color),
  ]);
  return { idct, color };
}

const IDCT_COMPONENTS_AT = 4;
const IDCT_QUANT_AT = 36;
const COLOR_COMPONENTS_AT = 8;
const IDCT_WORKGROUP = 64;
const COLOR_WORKGROUP = 8;

/** Size of the status word the kernels raise flags in. */
export const STATUS_BYTES = 4;
/** decode-idct.wgsl: a block is outside the range its i32 arithmetic computes exactly. */
export const STATUS_OVERFLOW = 1;
/** entropy-huffman.wgsl: the entropy-coded data is not what libjpeg would read without a warning. */
export const STATUS_ENTROPY_ERROR = 2;

/** A frame's components with their tables, and their coefficients when they come from the host. */
export interface CoefficientFrame extends FrameFacts {
  components: readonly {
    h: number;
    v: number;
    blocksPerRow: number;
    blockRows: number;
    quantTable: Uint16Array;
    coefficients?: Int16Array;
  }[];
}

/**
 * Records entropy decoding on the GPU into `coefficients` (zeroed; component c at word `wordOffsets[c]`),
 * raising flags in `status`; returns the buffers to give back once submitted.
 */
export type GpuEntropyDecoder = (
  encoder: GPUCommandEncoder,
  coefficients: GPUBuffer,
  wordOffsets: readonly number[],
  status: GPUBuffer,
) => GPUBuffer[];

export interface RecordedDecode {
  pixels: GpuPixels;
  /** STATUS_* flags raised by the kernels. */
  status: GPUBuffer;
  /** Buffers to give back to the pool once the commands are submitted. */
  scratch: GPUBuffer[];
}

function checkSize(ctx: GpuContext, bytes: number, what: string): void {
  const limit = ctx.device.limits.maxStorageBufferBindingSize;
  if (bytes > limit) {
    throw new JpegError(
      'E_UNSUPPORTED',
      `the ${what} need ${bytes} bytes, over this WebGPU device's storage buffer limit of ${limit}`,
      { backend: BACKEND_NAME },
    );
  }
}

/**
 * Records the IDCT and colour passes of `plan` into `encoder`, after the coefficients: uploaded from the host
 * (the components the plan reads), or decoded on the GPU by `entropy` (every component). Must run inside
 * `GpuContext.submit`'s recording (no awaits), so the uploads are ordered before the passes.
 */
export function recordDecode(
  ctx: GpuContext,
  kernels: DecodeKernels,
  encoder: GPUCommandEncoder,
  frame: CoefficientFrame,
  plan: DecodePlan,
  entropy?: GpuEntropyDecoder,
): RecordedDecode {
  const queue = ctx.device.queue;
  // Where each frame component's coefficients sit in the coefficient buffer (words).
  const wordOffsets: number[] = [];
  let coefficientWords = 0;
  const present = entropy ? frame.components.map((_, i) => i) : plan.components.map((c) => c.index);
  for (const index of present) {
    const c = frame.components[index]!;
    wordOffsets[index] = coefficientWords;
    coefficientWords += c.blocksPerRow * c.blockRows * 32;
  }
  let planeSamples = 0;
  let totalBlocks = 0;
  const idctParams = new Int32Array(IDCT_QUANT_AT + 64 * 4);
  const colorParams = new Int32Array(COLOR_COMPONENTS_AT + 8 * 4);
  idctParams[0] = plan.components.length;
  colorParams.set([plan.width, plan.height, plan.color, plan.components.length], 0);
  plan.components.forEach((c, i) => {
    const source = frame.components[c.index]!;
    idctParams.set(
      [totalBlocks, c.blocksPerRow, wordOffsets[c.index]!, planeSamples, c.planeWidth, c.blockSize],
      IDCT_COMPONENTS_AT + 8 * i,
    );
    // libjpeg keeps islow multipliers as int16 (ISLOW_MULT_TYPE): 16-bit table entries above 32767 read negative.
    idctParams.set(new Int16Array(Uint16Array.from(source.quantTable).buffer), IDCT_QUANT_AT + 64 * i);
    colorParams.set(
      [planeSamples, c.planeWidth, c.samplesWide, c.samplesHigh, c.method, c.hExpand, c.vExpand],
      COLOR_COMPONENTS_AT + 8 * i,
    );
    totalBlocks += c.blocksPerRow * c.blockRows;
    planeSamples += c.planeWidth * c.planeHeight;
  });
  idctParams[1] = totalBlocks;

  const coefficientBytes = coefficientWords * 4;
  const planeBytes = planeSamples * 4;
  const pixelBytes = pixelBufferBytes(plan.width, plan.height);
  checkSize(ctx, coefficientBytes, 'DCT coefficients');
  checkSize(ctx, planeBytes, 'component planes');
  checkSize(ctx, pixelBytes, 'pixels');

  const pool = ctx.buffers;
  const coefficients = pool.acquire(coefficientBytes, USAGE.STORAGE | USAGE.COPY_DST, 'jpegkit coefficients');
  const idctParamBuffer = ctx.upload(idctParams, 'jpegkit idct params');
  const planes = pool.acquire(planeBytes, USAGE.STORAGE, 'jpegkit component planes');
  const status = pool.acquire(
    STATUS_BYTES,
    USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST,
    'jpegkit decode status',
  );
  const colorParamBuffer = ctx.upload(colorParams, 'jpegkit color params');
  const pixelBuffer = pool.acquire(pixelBytes, PIXEL_BUFFER_USAGE, 'jpegkit pixels');
  const scratch = [coefficients, idctParamBuffer, planes, colorParamBuffer];

  encoder.clearBuffer(status, 0, STATUS_BYTES);
  if (entropy) {
    // Blocks no scan codes (padding of a single-component scan) stay zero, as in libjpeg's coefficient arrays.
    encoder.clearBuffer(coefficients, 0, coefficientBytes);
    scratch.push(...entropy(encoder, coefficients, wordOffsets, status));
  } else {
    for (const index of present) {
      const c = frame.components[index]!;
      const values = c.coefficients!;
      const bytes = c.blocksPerRow * c.blockRows * 128;
      queue.writeBuffer(coefficients, wordOffsets[index]! * 4, values.buffer, values.byteOffset, bytes);
    }
  }

  ctx.dispatch(
    encoder,
    kernels.idct,
    [coefficients, idctParamBuffer, planes, status],
    ctx.linearGroups(totalBlocks, IDCT_WORKGROUP),
  );
  ctx.dispatch(
    encoder,
    kernels.color,
    [planes, colorParamBuffer, pixelBuffer],
    [Math.ceil(plan.width / COLOR_WORKGROUP), Math.ceil(plan.height / COLOR_WORKGROUP)],
  );
  return {
    pixels: {
      buffer: pixelBuffer,
      width: plan.width,
      height: plan.height,
      gray: plan.color === COLOR.gray || plan.color === COLOR.rgbGray,
    },
    status,
    scratch,
  };
}
