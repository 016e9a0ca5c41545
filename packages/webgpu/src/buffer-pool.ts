/** GPUBufferUsage values, spelled out because Node has no GPUBufferUsage global before Dawn is loaded. */
export const USAGE = {
  MAP_READ: 0x1,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
} as const;

/**
 * GPU buffers kept for reuse, by usage and size class: decode, pixel ops and encode ask for what they need
 * (pixels, intermediates, parameters, tables, read-back) and give it back when their commands are submitted, so
 * steady-state work creates no buffers. A buffer may be larger than asked for: kernels get their sizes from
 * their parameters, never from `buffer.size`.
 *
 * Giving a buffer back right after `queue.submit` is safe: anything that later writes it (queue.writeBuffer or
 * another submission) is ordered after the commands already submitted. Mappable buffers come back only once
 * they are unmapped.
 */
export class BufferPool {
  readonly #free = new Map<string, GPUBuffer[]>();
  readonly #sizes = new WeakMap<GPUBuffer, string>();
  #freeBytes = 0;
  #onDestroy: (() => void) | undefined;

  /** Free buffers kept per size class; more are destroyed when given back. */
  static readonly KEEP_PER_CLASS = 4;

  constructor(readonly device: GPUDevice) {}

  /** Called whenever a pooled buffer is destroyed (bind groups that use it must be dropped). */
  onDestroy(listener: () => void): void {
    this.#onDestroy = listener;
  }

  /** Size class of a request: the next power of two from 256 bytes on, so buffers fit many later requests. */
  static sizeClass(bytes: number): number {
    let size = 256;
    while (size < bytes) size *= 2;
    return size;
  }

  /** A buffer of at least `bytes` with exactly `usage`. */
  acquire(bytes: number, usage: GPUBufferUsageFlags, label: string): GPUBuffer {
    const size = BufferPool.sizeClass(bytes);
    const key = `${usage}:${size}`;
    const reused = this.#free.get(key)?.pop();
    if (reused) {
      this.#freeBytes -= size;
      return reused;
    }
    const buffer = this.device.createBuffer({ size, usage, label });
    this.#sizes.set(buffer, key);
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    const key = this.#sizes.get(buffer);
    if (key === undefined) return;
    const list = this.#free.get(key) ?? [];
    if (list.includes(buffer)) return;
    if (list.length >= BufferPool.KEEP_PER_CLASS) {
      this.#sizes.delete(buffer);
      buffer.destroy();
      this.#onDestroy?.();
      return;
    }
    list.push(buffer);
    this.#free.set(key, list);
    this.#freeBytes += buffer.size;
  }

  /** Bytes held in free buffers. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** Destroys every free buffer (buffers still handed out are destroyed by their holders' release). */
  clear(): void {
    for (const list of this.#free.values()) for (const buffer of list) buffer.destroy();
    this.#free.clear();
    this.#freeBytes = 0;
    this.#onDestroy?.();
  }
}
