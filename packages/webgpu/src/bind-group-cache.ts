/**
 * Bind groups per (pipeline, buffers): a bind group names concrete buffers, and with pooled buffers the same
 * combinations come back image after image, so each is created once and looked up after that. Buffers are bound
 * whole, `buffers[i]` at binding i of group 0; a `null` leaves binding i out (an entry point that does not use a
 * binding of its shader file has no slot for it). The cache is bounded: the least recently used entries go.
 */
export class BindGroupCache {
  readonly #ids = new WeakMap<object, number>();
  readonly #layouts = new WeakMap<GPUComputePipeline, GPUBindGroupLayout>();
  readonly #groups = new Map<string, GPUBindGroup>();
  #nextId = 1;

  constructor(
    readonly device: GPUDevice,
    readonly maxEntries = 512,
  ) {}

  /** The bind group 0 of `pipeline` with `buffers[i]` at binding i (none where `buffers[i]` is null). */
  get(pipeline: GPUComputePipeline, buffers: readonly (GPUBuffer | null)[]): GPUBindGroup {
    const key = [pipeline, ...buffers].map((o) => (o ? this.#id(o) : 0)).join(',');
    const hit = this.#groups.get(key);
    if (hit) {
      // Re-inserting moves the entry to the young end of the Map's insertion order.
      this.#groups.delete(key);
      this.#groups.set(key, hit);
      return hit;
    }
    let layout = this.#layouts.get(pipeline);
    if (!layout) {
      layout = pipeline.getBindGroupLayout(0);
      this.#layouts.set(pipeline, layout);
    }
    const group = this.device.createBindGroup({
      layout,
      entries: buffers.flatMap((buffer, binding) => (buffer ? [{ binding, resource: { buffer } }] : [])),
    });
    this.#groups.set(key, group);
    if (this.#groups.size > this.maxEntries) {
      const oldest = this.#groups.keys().next().value;
      if (oldest !== undefined) this.#groups.delete(oldest);
    }
    return group;
  }

  /** Forgets every bind group (after buffers they use were destroyed). */
  clear(): void {
    this.#groups.clear();
  }

  #id(o: object): number {
    let id = this.#ids.get(o);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(o, id);
    }
    return id;
  }
}
