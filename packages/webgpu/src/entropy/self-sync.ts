/**
 * Huffman decoding on the GPU by self-synchronising chunks (entropy-selfsync.wgsl), for scans without restart
 * markers (one interval) and for scans whose restart intervals are too long for one invocation each: every
 * interval is cut into chunks of CHUNK_BITS (none crosses an interval's end); the host repeats the `sync` pass
 * until every chunk's exit state equals the next chunk's entry within its interval, turns the per-chunk block
 * counts and DC sums into each chunk's first block and DC predictions (both restart at each interval), and
 * recordDecode then records the `decode` pass.
 */
import type { GpuContext } from '../gpu-context.js';
import type { GpuEntropyDecoder } from '../decode/record-decode.js';
import { submitAndRead } from '../pack/submit-and-read.js';
import type { BaselineScan } from './baseline-scan.js';
import { USAGE } from '../buffer-pool.js';

export const SELF_SYNC_SHADER = new URL('../shaders/entropy-selfsync.wgsl', import.meta.url);

/** Bits of entropy-coded data per chunk (one invocation each). */
export const CHUNK_BITS = 4096;
/** Sync passes before giving up on an image (each pass fixes at least one more chunk; most need two). */
export const MAX_SYNC_PASSES = 12;

const WORKGROUP = 64;
const MCU_BLOCKS_AT = 8;
const COMPONENTS_AT = 48;
const ENTRY_WORDS = 3;
const COUNT_WORDS = 12;
const START_WORDS = 12;
const PHASES = 10;
/** Where params holds the interval count, then each interval's start byte and the end, then the chunk map. */
const INTERVALS_AT = 80;

export interface SelfSyncKernels {
  sync: GPUComputePipeline;
  decode: GPUComputePipeline;
}

export async function selfSyncKernels(ctx: GpuContext): Promise<SelfSyncKernels> {
  const [sync, decode] = await Promise.all([
    ctx.kernels.pipeline(SELF_SYNC_SHADER, 'sync'),
    ctx.kernels.pipeline(SELF_SYNC_SHADER, 'decode'),
  ]);
  return { sync, decode };
}

/** The chunks of each restart interval (at least one, even for an empty interval), in order. */
function chunksPerInterval(scan: BaselineScan): number[] {
  const starts = scan.intervalStarts;
  return Array.from({ length: starts.length - 1 }, (_, j) =>
    Math.max(1, Math.ceil(((starts[j + 1]! - starts[j]!) * 8) / CHUNK_BITS)),
  );
}

/** Chunks the scan's data is cut into (each restart interval's data separately). */
export function chunkCount(scan: BaselineScan): number {
  return chunksPerInterval(scan).reduce((sum, n) => sum + n, 0);
}

/**
 * The shader's params: scan facts, the MCU's blocks and the components, then the intervals (count, start
 * bytes and the end) and the chunk map (per chunk: its interval, its place in the interval).
 */
function scanParams(scan: BaselineScan, perInterval: number[], chunks: number): Uint32Array<ArrayBuffer> {
  const intervals = perInterval.length;
  const chunkMapAt = INTERVALS_AT + 2 + intervals;
  const params = new Uint32Array(chunkMapAt + 2 * chunks);
  const dataBytes = scan.intervalStarts[intervals]!;
  const slots = scan.tableSlots;
  // With one set of tables for every component, the block of the MCU does not change how symbols decode.
  const sharedTables = slots.every((t) => t.dc === slots[0]!.dc && t.ac === slots[0]!.ac);
  const intervalMcus = scan.restartInterval === 0 ? scan.totalMcus : scan.restartInterval;
  params.set([
    chunks,
    CHUNK_BITS,
    dataBytes,
    scan.totalMcus * scan.blocksInMcu,
    scan.blocksInMcu,
    scan.mcusPerRow,
    sharedTables ? 1 : 0,
    intervalMcus * scan.blocksInMcu,
  ]);
  const single = scan.components.length === 1;
  let j = 0;
  scan.components.forEach((c, ci) => {
    const h = single ? 1 : c.h;
    const v = single ? 1 : c.v;
    for (let by = 0; by < v; by++) {
      for (let bx = 0; bx < h; bx++) params.set([ci, bx, by], MCU_BLOCKS_AT + 4 * j++);
    }
    params.set([0, 0, c.blocksPerRow, 0, slots[ci]!.dc, 4 + slots[ci]!.ac, h, v], COMPONENTS_AT + 8 * ci);
  });
  params[INTERVALS_AT] = intervals;
  params.set(scan.intervalStarts, INTERVALS_AT + 1);
  let chunk = 0;
  perInterval.forEach((n, interval) => {
    for (let place = 0; place < n; place++, chunk++) params.set([interval, place], chunkMapAt + 2 * chunk);
  });
  return params;
}

/**
 * Synchronises the chunk decoders; resolves with the GPU entropy decoder for recordDecode and the passes it
 * took, or undefined when the chunks did not agree within `maxPasses` (the image then goes to the wasm reader).
 */
export async function synchronise(
  ctx: GpuContext,
  kernels: SelfSyncKernels,
  scan: BaselineScan,
  maxPasses = MAX_SYNC_PASSES,
): Promise<{ decoder: GpuEntropyDecoder; passes: number } | undefined> {
  const perInterval = chunksPerInterval(scan);
  const chunks = perInterval.reduce((sum, n) => sum + n, 0);
  const params = scanParams(scan, perInterval, chunks);
  // Entry guesses: each chunk's start bit, at the start of an MCU (exact for an interval's first chunk).
  const guesses = new Uint32Array(chunks * ENTRY_WORDS);
  let chunk = 0;
  perInterval.forEach((n, interval) => {
    for (let place = 0; place < n; place++, chunk++)
      guesses[chunk * ENTRY_WORDS] = scan.intervalStarts[interval]! * 8 + place * CHUNK_BITS;
  });
  const pool = ctx.buffers;
  const data = ctx.upload(scan.data, 'jpegkit entropy data');
  const tables = ctx.upload(scan.tables, 'jpegkit huffman tables');
  const paramBuffer = ctx.upload(params, 'jpegkit entropy params');
  const entries = ctx.upload(guesses, 'jpegkit chunk entries');
  const exits = pool.acquire(guesses.byteLength, USAGE.STORAGE | USAGE.COPY_SRC, 'jpegkit chunk exits');
  const counts = pool.acquire(
    chunks * COUNT_WORDS * 4,
    USAGE.STORAGE | USAGE.COPY_SRC,
    'jpegkit chunk counts',
  );
  const changed = pool.acquire(4, USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST, 'jpegkit sync flag');
  const queue = ctx.device.queue;
  const kept = [data, tables, paramBuffer, entries];
  const release = (list: GPUBuffer[]) => list.forEach((b) => pool.release(b));
  let settled: Uint32Array | undefined;
  let passes = 0;
  try {
    while (passes < maxPasses && !settled) {
      passes++;
      const [chunkCounts, unsettled] = await submitAndRead(
        ctx,
        (encoder) => {
          encoder.clearBuffer(changed, 0, 4);
          ctx.dispatch(
            encoder,
            kernels.sync,
            [data, tables, paramBuffer, entries, exits, counts, changed],
            ctx.linearGroups(chunks, WORKGROUP),
          );
          // The pass wrote every chunk's next entry: an exit of the chunk before it in its interval, or the
          // exact entry an interval's first chunk keeps.
          encoder.copyBufferToBuffer(exits, 0, entries, 0, chunks * ENTRY_WORDS * 4);
          return {
            reads: [
              { buffer: counts, bytes: chunks * COUNT_WORDS * 4 },
              { buffer: changed, bytes: 4 },
            ],
            scratch: [],
          };
        },
        ([countBytes, flag]) =>
          [
            new Uint32Array(countBytes!.slice().buffer),
            new Uint32Array(flag!.buffer, flag!.byteOffset, 1)[0]!,
          ] as const,
      );
      if (unsettled === 0) settled = chunkCounts;
    }
  } catch (error) {
    release(kept);
    throw error;
  } finally {
    release([exits, counts, changed]);
  }
  if (!settled) {
    release(kept);
    return undefined;
  }
  // Each chunk's first block and DC predictions: exclusive prefix sums within its interval, which starts at
  // its first MCU with predictions of 0 (DC sums wrap as libjpeg's int does). A chunk's DC sums are by position
  // from its first block; that block's place in the MCU gives the components. The entry after a chunk is the
  // block the next chunk of its interval starts at (the shader checks that the chunk ended there).
  const componentOf = Array.from({ length: scan.blocksInMcu }, (_, j) => params[MCU_BLOCKS_AT + 4 * j]!);
  const intervalBlocks = params[7]!;
  const starts = new Uint32Array(chunks * START_WORDS);
  let i = 0;
  perInterval.forEach((n, interval) => {
    let block = interval * intervalBlocks;
    const dc = [0, 0, 0, 0];
    for (let place = 0; place < n; place++, i++) {
      starts[i * START_WORDS] = block;
      for (let c = 0; c < 4; c++) starts[i * START_WORDS + 1 + c] = dc[c]! >>> 0;
      const first = block % scan.blocksInMcu;
      for (let phase = 0; phase < Math.min(PHASES, scan.blocksInMcu); phase++) {
        const c = componentOf[(first + phase) % scan.blocksInMcu]!;
        dc[c] = (dc[c]! + settled[i * COUNT_WORDS + 1 + phase]!) | 0;
      }
      block += settled[i * COUNT_WORDS]!;
    }
  });
  const decoder: GpuEntropyDecoder = (encoder, coefficients, wordOffsets, status) => {
    scan.components.forEach((_, ci) => params.set([wordOffsets[ci]!], COMPONENTS_AT + 8 * ci + 3));
    queue.writeBuffer(paramBuffer, 0, params);
    const startBuffer = ctx.upload(starts, 'jpegkit chunk starts');
    ctx.dispatch(
      encoder,
      kernels.decode,
      [data, tables, paramBuffer, entries, startBuffer, coefficients, status],
      ctx.linearGroups(chunks, WORKGROUP),
    );
    return [...kept, startBuffer];
  };
  return { decoder, passes };
}
