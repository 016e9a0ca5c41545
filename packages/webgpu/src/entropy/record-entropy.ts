/**
 * Records entropy-huffman.wgsl for a parsed scan: one invocation per restart interval decodes its MCUs into the
 * coefficient buffer the IDCT reads.
 */
import type { GpuContext } from '../gpu-context.js';
import type { GpuEntropyDecoder } from '../decode/record-decode.js';
import type { BaselineScan } from './baseline-scan.js';

export const ENTROPY_SHADER = new URL('../shaders/entropy-huffman.wgsl', import.meta.url);

const WORKGROUP = 64;
const COMPONENTS_AT = 8;

/** The GPU entropy decoder of `scan`, for recordDecode. */
export function gpuEntropyDecoder(
  ctx: GpuContext,
  pipeline: GPUComputePipeline,
  scan: BaselineScan,
): GpuEntropyDecoder {
  return (encoder, coefficients, wordOffsets, status) => {
    const intervals = scan.intervalStarts.length - 1;
    const single = scan.components.length === 1;
    const params = new Uint32Array(COMPONENTS_AT + 8 * 4);
    params.set([intervals, scan.restartInterval, scan.totalMcus, scan.mcusPerRow, scan.components.length], 0);
    scan.components.forEach((c, s) => {
      const slots = scan.tableSlots[s]!;
      // A single-component scan codes one block per MCU, whatever the factors say.
      params.set(
        [single ? 1 : c.h, single ? 1 : c.v, c.blocksPerRow, wordOffsets[s]!, slots.dc, 4 + slots.ac],
        COMPONENTS_AT + 8 * s,
      );
    });
    const data = ctx.upload(scan.data, 'jpegkit entropy data');
    const starts = ctx.upload(scan.intervalStarts, 'jpegkit restart intervals');
    const tables = ctx.upload(scan.tables, 'jpegkit huffman tables');
    const paramBuffer = ctx.upload(params, 'jpegkit entropy params');
    ctx.dispatch(
      encoder,
      pipeline,
      [data, starts, tables, paramBuffer, coefficients, status],
      ctx.linearGroups(intervals, WORKGROUP),
    );
    return [data, starts, tables, paramBuffer];
  };
}
