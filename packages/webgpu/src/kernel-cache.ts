import { loadShader } from './shader-source.js';

/**
 * Compute pipelines per device, created once per (shader, entry point, constants) and reused for every image:
 * no pipeline is built in steady state.
 */
export class KernelCache {
  readonly #pipelines = new Map<string, Promise<GPUComputePipeline>>();

  constructor(readonly device: GPUDevice) {}

  /** The pipeline for `entryPoint` of the WGSL file at `url`, with override `constants` if any. */
  pipeline(url: URL, entryPoint = 'main', constants?: Record<string, number>): Promise<GPUComputePipeline> {
    const key = `${url.href}#${entryPoint}#${constants ? JSON.stringify(constants) : ''}`;
    let p = this.#pipelines.get(key);
    if (!p) {
      p = this.#create(url, entryPoint, constants);
      p.catch(() => this.#pipelines.delete(key));
      this.#pipelines.set(key, p);
    }
    return p;
  }

  async #create(
    url: URL,
    entryPoint: string,
    constants?: Record<string, number>,
  ): Promise<GPUComputePipeline> {
    const code = await loadShader(url);
    const module = this.device.createShaderModule({ code, label: url.pathname });
    return this.device.createComputePipelineAsync({
      label: `${url.pathname.split('/').pop()}:${entryPoint}`,
      layout: 'auto',
      compute: constants ? { module, entryPoint, constants } : { module, entryPoint },
    });
  }
}
