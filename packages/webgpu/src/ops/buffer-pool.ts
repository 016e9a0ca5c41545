/**
 * What the pixel ops and the encoder need of a buffer pool: buffers of at least the size asked for, given back
 * once the commands using them are submitted. {@link BufferPool} is one; the backend's own pool fits too.
 */
export interface GpuBufferPool {
  acquire(bytes: number, usage: GPUBufferUsageFlags, label: string): GPUBuffer;
  release(buffer: GPUBuffer): void;
}

/**
 * GPU buffers kept for reuse. Kernels need intermediates (resize's float rows, sharpen's blur, uniform
 * parameters, weight tables, coefficient planes) and results of the same few sizes image after image; taking
 * them from a pool means a steady stream of same-sized images creates no buffer at all.
 *
 * Buffers are matched by usage and exact size (rounded up to 4 bytes), so a pooled buffer is never larger than
 * what was asked for and `buffer.size` stays meaningful to whoever reads it back. Reuse is safe across queue
 * submissions: WebGPU runs queue operations in order, so a buffer released after `queue.submit` may be written
 * (by `writeBuffer` or a kernel) for the next submission without waiting for the previous one to finish.
 */
export class BufferPool implements GpuBufferPool {
  readonly #free = new Map<string, GPUBuffer[]>();
  #freeBytes = 0;

  /**
   * @param device the device every buffer of the pool belongs to
   * @param maxFreeBytes free buffers beyond this many bytes are destroyed on release instead of being kept
   */
  constructor(
    readonly device: GPUDevice,
    readonly maxFreeBytes = 256 * 1024 * 1024,
  ) {}

  /** A buffer of at least `size` bytes (exactly `size` rounded up to 4) with `usage`, reused when one is free. */
  acquire(size: number, usage: GPUBufferUsageFlags, label = 'jpegkit pooled buffer'): GPUBuffer {
    const bytes = Math.max(4, Math.ceil(size / 4) * 4);
    const list = this.#free.get(key(bytes, usage));
    const reused = list?.pop();
    if (reused) {
      this.#freeBytes -= bytes;
      return reused;
    }
    return this.device.createBuffer({ size: bytes, usage, label });
  }

  /** Gives a buffer back for reuse (or destroys it when the pool already keeps `maxFreeBytes`). */
  release(buffer: GPUBuffer): void {
    if (this.#freeBytes + buffer.size > this.maxFreeBytes) {
      buffer.destroy();
      return;
    }
    const k = key(buffer.size, buffer.usage);
    let list = this.#free.get(k);
    if (!list) {
      list = [];
      this.#free.set(k, list);
    }
    if (list.includes(buffer)) return; // released twice: keep one entry, or two callers would share it
    list.push(buffer);
    this.#freeBytes += buffer.size;
  }

  /** Bytes held in free buffers. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** Destroys every free buffer (buffers handed out stay valid). */
  trim(): void {
    for (const list of this.#free.values()) for (const buffer of list) buffer.destroy();
    this.#free.clear();
    this.#freeBytes = 0;
  }
}

function key(bytes: number, usage: GPUBufferUsageFlags): string {
  return `${usage}:${bytes}`;
}

const pools = new WeakMap<GPUDevice, BufferPool>();

/** The shared pool of a device (created on first use), for callers that do not keep their own. */
export function bufferPoolFor(device: GPUDevice): BufferPool {
  let pool = pools.get(device);
  if (!pool) {
    pool = new BufferPool(device);
    pools.set(device, pool);
  }
  return pool;
}
