import { JpegError } from '@jpegkit/core';
import { USAGE } from '../buffer-pool.js';
import type { GpuContext } from '../gpu-context.js';

/** Usage of the temporary storage buffers kernels read tables from and write intermediates to. */
export const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC;
const UNIFORM_USAGE = USAGE.UNIFORM | USAGE.COPY_DST;

/** The workgroup size (x and y) of every 2-D pixel kernel in shaders/ops-*.wgsl. */
export const TILE = 16;

/** Per device, the promise that the frame recorded last has closed its error scopes. */
const recording = new WeakMap<GPUDevice, Promise<void>>();

/**
 * One command buffer's worth of work: kernel dispatches and copies recorded into a single encoder and submitted
 * once. Temporary buffers (parameters, tables, intermediates) come from the pool and go back to it when the
 * frame is submitted — safe because the queue runs submissions in order (see BufferPool). Pipelines, buffers and
 * bind groups are the context's: one pool and one bind-group cache per device for decode, ops and encode.
 *
 * A frame opens validation and out-of-memory error scopes when it starts and closes them in `submit`, so a
 * mistake in a kernel's bindings or an allocation the device refuses rejects the call (E_BACKEND_INIT with
 * WebGPU's message, or E_OUT_OF_MEMORY) instead of silently leaving a buffer unwritten. Error scopes belong to
 * the device, and recording awaits (pipelines are created asynchronously), so frames on one device are recorded
 * one at a time — {@link GpuFrame.open} waits for the previous frame to close its scopes — and each frame's
 * errors land in its own scopes.
 */
export class GpuFrame {
  readonly encoder: GPUCommandEncoder;
  readonly #temps: GPUBuffer[] = [];
  readonly #unlock: () => void;
  #pass: GPUComputePassEncoder | undefined;
  #closed = false;

  /** Starts a frame once every frame opened before it on the device has closed its error scopes. */
  static async open(context: GpuContext): Promise<GpuFrame> {
    const device = context.device;
    const previous = recording.get(device) ?? Promise.resolve();
    let unlock!: () => void;
    const closed = new Promise<void>((resolve) => (unlock = resolve));
    recording.set(
      device,
      previous.then(() => closed),
    );
    await previous;
    return new GpuFrame(context, unlock);
  }

  private constructor(
    readonly context: GpuContext,
    unlock: () => void,
  ) {
    this.#unlock = unlock;
    context.device.pushErrorScope('out-of-memory');
    context.device.pushErrorScope('validation');
    this.encoder = context.device.createCommandEncoder({ label: 'jpegkit frame' });
  }

  /** A uniform buffer holding `data` (its byte length must be a multiple of 16, as WGSL structs are). */
  uniform(data: ArrayBufferView<ArrayBuffer>): GPUBuffer {
    return this.#filled(data, UNIFORM_USAGE);
  }

  /** A read-only storage buffer holding `data` (a table the kernels read). */
  table(data: ArrayBufferView<ArrayBuffer>): GPUBuffer {
    return this.#filled(data, STORAGE_USAGE);
  }

  /** A storage buffer of `bytes` for an intermediate result, returned to the pool at submit. */
  scratch(bytes: number): GPUBuffer {
    const buffer = this.context.buffers.acquire(bytes, STORAGE_USAGE, 'jpegkit scratch');
    this.#temps.push(buffer);
    return buffer;
  }

  /** Returns `buffer` to the pool once this frame is submitted (e.g. an intermediate image between steps). */
  releaseAfterSubmit(buffer: GPUBuffer): void {
    this.#temps.push(buffer);
  }

  /**
   * Records a dispatch of `pipeline` over `x`×`y` workgroups with `buffers[i]` at binding i of group 0 (a null
   * skips a binding the entry point does not use).
   */
  dispatch(pipeline: GPUComputePipeline, buffers: readonly (GPUBuffer | null)[], x: number, y = 1): void {
    if (x === 0 || y === 0) return;
    this.#pass ??= this.encoder.beginComputePass({ label: 'jpegkit kernels' });
    this.#pass.setPipeline(pipeline);
    this.#pass.setBindGroup(0, this.context.bindGroups.get(pipeline, buffers));
    this.#pass.dispatchWorkgroups(x, y);
  }

  /** Records a buffer-to-buffer copy (after every dispatch recorded so far). */
  copy(from: GPUBuffer, to: GPUBuffer, bytes: number, fromOffset = 0, toOffset = 0): void {
    this.#endPass();
    this.encoder.copyBufferToBuffer(from, fromOffset, to, toOffset, bytes);
  }

  /**
   * Submits everything recorded, gives the temporary buffers back to the pool and closes the error scopes:
   * rejects when WebGPU reported an error for anything done since the frame began.
   */
  async submit(): Promise<void> {
    try {
      this.#endPass();
      this.context.device.queue.submit([this.encoder.finish()]);
    } catch (error) {
      await this.abandon();
      throw error;
    }
    this.#releaseTemps();
    await this.#closeScopes();
  }

  /** Drops what was recorded (nothing is submitted) and gives the temporary buffers back to the pool. */
  async abandon(): Promise<void> {
    try {
      this.#endPass();
    } catch {
      // an encoder already in error: nothing of it is submitted anyway
    }
    this.#releaseTemps();
    await this.#closeScopes().catch(() => undefined); // the error that made us abandon is the one to report
  }

  #releaseTemps(): void {
    for (const buffer of this.#temps) this.context.buffers.release(buffer);
    this.#temps.length = 0;
  }

  async #closeScopes(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const device = this.context.device;
    // Popped right away (the stack is ours until unlocked), then awaited while the next frame records.
    const validationScope = device.popErrorScope();
    const memoryScope = device.popErrorScope();
    this.#unlock();
    const [validation, memory] = await Promise.all([validationScope, memoryScope]).catch((cause: unknown) => {
      throw new JpegError('E_DEVICE_LOST', `the WebGPU device was lost: ${(cause as Error).message}`, {
        backend: 'webgpu',
        cause,
      });
    });
    if (memory) throw new JpegError('E_OUT_OF_MEMORY', `WebGPU: ${memory.message}`);
    if (validation)
      throw new JpegError('E_BACKEND_INIT', `WebGPU rejected a jpegkit kernel: ${validation.message}`);
  }

  #endPass(): void {
    const pass = this.#pass;
    this.#pass = undefined;
    pass?.end();
  }

  #filled(data: ArrayBufferView<ArrayBuffer>, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.context.upload(data, 'jpegkit kernel input', usage);
    this.#temps.push(buffer);
    return buffer;
  }
}

/** Workgroups needed to cover `n` items with groups of `size`. */
export function groups(n: number, size = TILE): number {
  return Math.ceil(n / size);
}
