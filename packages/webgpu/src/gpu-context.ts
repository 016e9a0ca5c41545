import { JpegError } from '@jpegkit/core';
import { BindGroupCache } from './bind-group-cache.js';
import { BufferPool, USAGE } from './buffer-pool.js';
import { KernelCache } from './kernel-cache.js';

export const BACKEND_NAME = 'webgpu';

/**
 * One GPUDevice with what every kernel launch shares: the pipeline cache, the buffer pool, the bind-group
 * cache, and the device's health. A lost device turns every later call into E_DEVICE_LOST (core then retries
 * the image on the next backend and initialises this one again on next use).
 */
export class GpuContext {
  readonly kernels: KernelCache;
  readonly buffers: BufferPool;
  readonly bindGroups: BindGroupCache;
  #lost: string | undefined;

  constructor(readonly device: GPUDevice) {
    this.kernels = new KernelCache(device);
    this.buffers = new BufferPool(device);
    this.bindGroups = new BindGroupCache(device);
    this.buffers.onDestroy(() => this.bindGroups.clear());
    void device.lost.then((info) => {
      this.#lost = info.message ? `${info.reason}: ${info.message}` : String(info.reason);
    });
  }

  /** Why the device is gone, or undefined while it works. */
  get lost(): string | undefined {
    return this.#lost;
  }

  deviceLost(cause?: unknown): JpegError {
    const why = this.#lost ?? (cause instanceof Error ? cause.message : 'the GPU stopped answering');
    return new JpegError('E_DEVICE_LOST', `the WebGPU device was lost (${why})`, {
      backend: BACKEND_NAME,
      cause,
    });
  }

  /** Throws E_DEVICE_LOST once the device is gone. */
  assertAlive(): void {
    if (this.#lost !== undefined) throw this.deviceLost();
  }

  /**
   * A pooled buffer holding `data` (written through the queue, so ordered before later submissions): kernel
   * inputs, parameters and tables. Default usage: storage that kernels read.
   */
  upload(
    data: ArrayBufferView,
    label: string,
    usage: GPUBufferUsageFlags = USAGE.STORAGE | USAGE.COPY_DST,
  ): GPUBuffer {
    const buffer = this.buffers.acquire(data.byteLength, usage, label);
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  /** Buffers of the pool bound at bindings 0, 1, 2 … of `pipeline`'s group 0. */
  bind(pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[]): GPUBindGroup {
    return this.bindGroups.get(pipeline, buffers);
  }

  /** Records one compute pass running `pipeline` over `groups` workgroups. */
  dispatch(
    encoder: GPUCommandEncoder,
    pipeline: GPUComputePipeline,
    buffers: readonly GPUBuffer[],
    groups: readonly [number, number?],
  ): void {
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bind(pipeline, buffers));
    pass.dispatchWorkgroups(groups[0], groups[1] ?? 1);
    pass.end();
  }

  /** Workgroups for `items` one-dimensional invocations of `size` per group, folded into two dimensions past
   * the per-dimension limit (kernels rebuild the index from num_workgroups). */
  linearGroups(items: number, size: number): [number, number] {
    const groups = Math.max(1, Math.ceil(items / size));
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (groups <= limit) return [groups, 1];
    const rows = Math.ceil(groups / limit);
    return [limit, rows];
  }

  /**
   * Records commands with `record` and submits them, under validation and out-of-memory error scopes. The
   * recording must not await (the scopes are the device's, shared by every caller). The promise rejects with
   * E_OUT_OF_MEMORY or E_DEVICE_LOST, or with an Error for a kernel bug.
   */
  submit(record: (encoder: GPUCommandEncoder) => void): Promise<void> {
    this.assertAlive();
    const device = this.device;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let failure: unknown;
    try {
      const encoder = device.createCommandEncoder();
      record(encoder);
      device.queue.submit([encoder.finish()]);
    } catch (error) {
      failure = error ?? new Error('recording failed');
    }
    // The scopes are popped whatever happened, or later work would report into them.
    const validation = device.popErrorScope();
    const memory = device.popErrorScope();
    if (failure !== undefined) {
      validation.catch(() => undefined);
      memory.catch(() => undefined);
      return Promise.reject(failure instanceof Error ? failure : new Error(String(failure)));
    }
    return this.#checkScopes(validation, memory);
  }

  async #checkScopes(validation: Promise<GPUError | null>, memory: Promise<GPUError | null>): Promise<void> {
    let errors: (GPUError | null)[];
    try {
      errors = await Promise.all([validation, memory]);
    } catch (cause) {
      throw this.deviceLost(cause);
    }
    if (this.#lost !== undefined) throw this.deviceLost();
    const [invalid, oom] = errors;
    if (oom) {
      throw new JpegError('E_OUT_OF_MEMORY', `the WebGPU device is out of memory: ${oom.message}`, {
        backend: BACKEND_NAME,
      });
    }
    if (invalid) throw new Error(`WebGPU validation error: ${invalid.message}`);
  }

  /** Maps a readback buffer; a failure here means the device went away. */
  async map(buffer: GPUBuffer, bytes: number): Promise<void> {
    try {
      await buffer.mapAsync(0x0001 /* GPUMapMode.READ */, 0, bytes);
    } catch (cause) {
      throw this.deviceLost(cause);
    }
  }

  dispose(): void {
    this.buffers.clear();
    this.bindGroups.clear();
  }
}
