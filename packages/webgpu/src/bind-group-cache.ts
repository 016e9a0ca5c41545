/**
 * Bind groups by pipeline and buffers: pooled buffers come back for the next image, so the same combination
 * recurs and its bind group is made once.
 */
export class BindGroupCache {
  readonly #groups = new Map<string, GPUBindGroup>();
  readonly #ids = new WeakMap<object, number>();
  #nextId = 1;

  /** Entries kept before the cache starts over (combinations of pooled buffers are few in steady state). */
  static readonly LIMIT = 256;

  constructor(readonly device: GPUDevice) {}

  #id(object: object): number {
    let id = this.#ids.get(object);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(object, id);
    }
    return id;
  }

  /** The bind group 0 of `pipeline` with `buffers` at bindings 0, 1, 2 … (whole buffers). */
  get(pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[]): GPUBindGroup {
    const key = [pipeline, ...buffers].map((o) => this.#id(o)).join(':');
    let group = this.#groups.get(key);
    if (!group) {
      if (this.#groups.size >= BindGroupCache.LIMIT) this.#groups.clear();
      group = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      this.#groups.set(key, group);
    }
    return group;
  }

  /** Forgets every bind group (after buffers they use were destroyed). */
  clear(): void {
    this.#groups.clear();
  }
}
