import type { GpuContext } from '../gpu-context.js';
import { acquireReadback } from './record-pack.js';

export interface Recording {
  /** Buffers whose first `bytes` (a multiple of 4) come back to the host, in this order. */
  reads: { buffer: GPUBuffer; bytes: number }[];
  /** Buffers the pool gets back once the commands are submitted. */
  scratch: GPUBuffer[];
}

/**
 * Submits what `record` records, copies its `reads` into one pooled mappable buffer, and hands views of the
 * mapped bytes to `use` (valid only during the call: the buffer goes back to the pool afterwards).
 */
export async function submitAndRead<T>(
  ctx: GpuContext,
  record: (encoder: GPUCommandEncoder) => Recording,
  use: (views: Uint8Array[]) => T,
): Promise<T> {
  let recording: Recording | undefined;
  let readback: GPUBuffer | undefined;
  let total = 0;
  const checked = ctx.submit((encoder) => {
    recording = record(encoder);
    total = recording.reads.reduce((sum, r) => sum + r.bytes, 0);
    readback = acquireReadback(ctx, Math.max(4, total));
    let offset = 0;
    for (const r of recording.reads) {
      encoder.copyBufferToBuffer(r.buffer, 0, readback, offset, r.bytes);
      offset += r.bytes;
    }
  });
  for (const buffer of recording?.scratch ?? []) ctx.buffers.release(buffer);
  if (!readback) {
    await checked;
    throw new Error('nothing was recorded');
  }
  const target = readback;
  const mapped = ctx.map(target, Math.max(4, total));
  try {
    await Promise.all([checked, mapped]);
  } catch (error) {
    await mapped.then(
      () => target.unmap(),
      () => undefined,
    );
    if (target.mapState === 'unmapped') ctx.buffers.release(target);
    throw error;
  }
  try {
    const range = new Uint8Array(target.getMappedRange(0, Math.max(4, total)));
    const views: Uint8Array[] = [];
    let offset = 0;
    for (const r of recording!.reads) {
      views.push(range.subarray(offset, offset + r.bytes));
      offset += r.bytes;
    }
    return use(views);
  } finally {
    target.unmap();
    ctx.buffers.release(target);
  }
}
