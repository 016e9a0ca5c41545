/**
 * The wasm backend: libjpeg-turbo compiled to WebAssembly, bit-exact with `djpeg -dct int` and `cjpeg`.
 * Single calls and batches run in a pool of workers (one module instance each) so the calling thread stays
 * free; `threads: 0` runs everything on the calling thread instead.
 */
import { JpegError, OP_NAMES, bytesPerPixel, isDeviceImage, isPlanar } from '@jpegkit/core';
import type {
  Backend,
  BackendCaps,
  BackendInitOptions,
  DeviceImage,
  HostImage,
  JpegHeader,
  PipelinePlan,
  PlanResult,
  ResolvedDecodeOptions,
  ResolvedEncodeOptions,
  ResolvedTransformOptions,
} from '@jpegkit/core';
import { BACKEND_NAME, serve, toJpegError } from './engine.js';
import type { DecodeJob, RunJob } from './engine.js';
import { loadModule } from './module.js';
import type { JpegkitWasm, LoadModuleOptions } from './module.js';
import { WorkerPool } from './pool.js';
import type { DctCoefficients } from './transform-module.js';
import type { WorkerFailure, WorkerRequest, WorkerResult } from './pool.js';

export interface WasmBackendOptions extends BackendInitOptions {
  /** Worker threads to use; 0 runs on the calling thread. Default: the machine's cores. */
  threads?: number;
  /** A precompiled module or the .wasm bytes, for bundlers and strict CSP. */
  module?: WebAssembly.Module;
  wasmBinary?: Uint8Array;
}

function defaultThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

async function nodeThreads(): Promise<number | undefined> {
  if (
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== 'string'
  )
    return undefined;
  const os = await import('node:os');
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function fromWorker(failure: unknown): JpegError {
  if (failure instanceof JpegError) return failure;
  const f = failure as Partial<WorkerFailure>;
  if (typeof f?.code === 'string' && typeof f.message === 'string') {
    return new JpegError(f.code as JpegError['code'], f.message, { backend: BACKEND_NAME });
  }
  return toJpegError(failure);
}

/** Copies a decoded image into the caller's image (same stride), keeping the caller's buffer. */
function deliverInto(into: HostImage, image: HostImage): HostImage {
  // Row by row: the caller's padding bytes between rows stay as they were.
  const planes = isPlanar(image.format) ? 3 : 1;
  const rowBytes = image.width * bytesPerPixel(image.format);
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < image.height; y++) {
      const at = (p * image.height + y) * image.stride;
      into.data.set(image.data.subarray(at, at + rowBytes), at);
    }
  }
  const result: HostImage = {
    ...into,
    width: image.width,
    height: image.height,
    orientation: image.orientation,
    backend: BACKEND_NAME,
  };
  if (image.partial) result.partial = image.partial;
  return result;
}

export class WasmBackend implements Backend {
  readonly name = BACKEND_NAME;
  readonly priority = 10;
  #local: Promise<JpegkitWasm> | undefined;
  #pool: WorkerPool | undefined;

  async init(options: WasmBackendOptions = {}): Promise<BackendCaps> {
    const load: LoadModuleOptions = {};
    if (options.module) load.module = options.module;
    if (options.wasmBinary) load.wasmBinary = options.wasmBinary;
    this.#local = loadModule(load);
    let codec: JpegkitWasm;
    try {
      codec = await this.#local;
    } catch (error) {
      this.#local = undefined;
      throw new JpegError(
        'E_BACKEND_INIT',
        `jpegkit.wasm could not be loaded: ${(error as Error)?.message ?? String(error)}`,
        {
          backend: BACKEND_NAME,
          cause: error,
        },
      );
    }
    const threads = options.threads ?? (await nodeThreads()) ?? defaultThreads();
    if (threads > 0 && !options.module && !options.wasmBinary) this.#pool = new WorkerPool(threads);
    return {
      device: `${codec.version}${this.#pool ? `, ${this.#pool.size} worker${this.#pool.size === 1 ? '' : 's'}` : ', calling thread'}`,
      formats: ['rgb', 'rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'],
      scales: [1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125],
      deviceImages: false,
      encode: true,
      transform: true,
      ops: OP_NAMES,
      notes: ['8-bit libjpeg-turbo: 12-bit and lossless JPEGs are not decoded'],
    };
  }

  canDecode(header: JpegHeader): true | string {
    if (header.lossless) return 'lossless JPEG is not supported by libjpeg-turbo 2.1';
    if (header.precision !== 8)
      return `${header.precision}-bit JPEG: this build of libjpeg-turbo is 8-bit only`;
    return true;
  }

  async #call(request: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerResult> {
    if (this.#pool)
      return this.#pool.run(request, transfer).catch((f: unknown) => Promise.reject(fromWorker(f)));
    if (!this.#local)
      throw new JpegError('E_BACKEND_INIT', 'the wasm backend is not initialised', { backend: BACKEND_NAME });
    const codec = await this.#local;
    try {
      return serve(codec, request);
    } catch (error) {
      throw toJpegError(error);
    }
  }

  async decode(bytes: Uint8Array, header: JpegHeader, options: ResolvedDecodeOptions): Promise<HostImage> {
    const job: DecodeJob = {
      format: options.format,
      scale: options.scale,
      orient: options.orient,
      orientation: header.orientation,
      partial: options.partial,
    };
    if (options.crop) job.crop = options.crop;
    if (options.into) job.stride = options.into.stride;
    // The input is copied to the worker (the caller keeps its buffer); the result is transferred back.
    const image = (await this.#call({ op: 'decode', bytes, job })) as HostImage;
    return options.into ? deliverInto(options.into, image) : image;
  }

  async decodeBatch(
    items: readonly { bytes: Uint8Array; header: JpegHeader }[],
    options: ResolvedDecodeOptions,
  ): Promise<(HostImage | JpegError)[]> {
    return Promise.all(
      items.map((item) =>
        this.decode(item.bytes, item.header, options).catch((e: unknown) => toJpegError(e)),
      ),
    );
  }

  async encode(image: HostImage | DeviceImage, options: ResolvedEncodeOptions): Promise<Uint8Array> {
    if (isDeviceImage(image))
      throw new JpegError('E_UNSUPPORTED', 'the wasm backend encodes host images only', {
        backend: BACKEND_NAME,
      });
    return (await this.#call({ op: 'encode', image, options })) as Uint8Array;
  }

  async run(plan: PipelinePlan): Promise<PlanResult> {
    let input: RunJob['input'];
    if (plan.input.kind === 'jpeg') {
      const { bytes, header } = plan.input;
      input = {
        kind: 'jpeg',
        bytes,
        orientation: header.orientation,
        width: header.width,
        height: header.height,
      };
    } else {
      const image = plan.input.image;
      if (isDeviceImage(image))
        throw new JpegError('E_UNSUPPORTED', 'the wasm backend runs on host images only', {
          backend: BACKEND_NAME,
        });
      input = { kind: 'image', image };
    }
    if (plan.output.kind === 'image' && plan.output.location === 'device') {
      throw new JpegError('E_UNSUPPORTED', 'the wasm backend keeps no images on a device', {
        backend: BACKEND_NAME,
      });
    }
    const output: RunJob['output'] =
      plan.output.kind === 'jpeg'
        ? { kind: 'jpeg', encode: plan.output.encode }
        : { kind: 'image', format: plan.output.format };
    const result = await this.#call({
      op: 'run',
      job: {
        input,
        orient: plan.orient,
        shrinkOnLoad: plan.shrinkOnLoad === true,
        steps: plan.steps,
        output,
      },
    });
    return result as Uint8Array | HostImage;
  }

  /**
   * The quantised DCT coefficients of a JPEG (entropy decoding only), read in the worker pool — what a GPU
   * backend needs to do the rest of an exact decode itself.
   */
  async readCoefficients(bytes: Uint8Array): Promise<DctCoefficients> {
    return (await this.#call({ op: 'coefficients', bytes })) as DctCoefficients;
  }

  async transform(
    bytes: Uint8Array,
    _header: JpegHeader,
    options: ResolvedTransformOptions,
  ): Promise<Uint8Array> {
    return (await this.#call({ op: 'transform', bytes, options })) as Uint8Array;
  }

  /** Bytes allocated in the calling thread's module; with `releaseScratch`, its reusable buffers freed first
   * (so what remains is what leaked). */
  async heapUsed(releaseScratch = false): Promise<number> {
    const codec = await this.#local;
    if (releaseScratch) codec?.releaseScratch();
    return codec?.heapUsed() ?? 0;
  }

  async dispose(): Promise<void> {
    await this.#pool?.dispose();
    this.#pool = undefined;
    (await this.#local)?.dispose();
    this.#local = undefined;
  }
}

/** A new wasm backend (core discovers it through this export too). */
export function createBackend(): WasmBackend {
  return new WasmBackend();
}
