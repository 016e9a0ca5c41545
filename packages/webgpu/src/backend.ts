/**
 * The webgpu backend: JPEG decode on WebGPU compute shaders, bit-exact with `djpeg -dct int`.
 *
 * Entropy decoding: single-scan sequential Huffman JPEGs are decoded on the GPU — one invocation per restart
 * interval when the file has short restart intervals, self-synchronising chunk decoders (within each interval)
 * when it has none or long ones — chosen per image (`entropy` option); everything else (progressive,
 * arithmetic, multi-scan, damaged data, too little parallel work) is read into DCT coefficients by libjpeg-turbo
 * in @jpegkit/wasm's worker pool. Then the GPU dequantises, runs libjpeg's islow IDCT (or its reduced 4×4, 2×2,
 * 1×1 IDCTs for DCT scaling), upsamples the chroma, converts the colours and lays the pixels out in the requested
 * format, crop and orientation.
 *
 * Pixel ops run as compute kernels (runOps) and encode does colour conversion, downsampling, FDCT and
 * quantisation on the GPU, with @jpegkit/wasm's coefficient writer doing the Huffman coding: a pipeline from JPEG
 * bytes to JPEG bytes keeps the pixels on the GPU from the decode to the quantised coefficients.
 */
import {
  checkHostImage,
  DCT_SCALES,
  decodedSize,
  isDeviceImage,
  isJpegError,
  JpegError,
  OP_NAMES,
  PIXEL_FORMATS,
  planDecodeOptions,
  resultOrientation,
  shrinkOnLoadScale,
} from '@jpegkit/core';
import type {
  Backend,
  BackendCaps,
  BackendInitOptions,
  DctScale,
  DeviceImage,
  HostImage,
  JpegHeader,
  OpStep,
  Orientation,
  PipelinePlan,
  PlanResult,
  ResolvedDecodeOptions,
  ResolvedEncodeOptions,
} from '@jpegkit/core';
import { WasmBackend, loadModule } from '@jpegkit/wasm';
import type { JpegkitWasm } from '@jpegkit/wasm';
import { planDecode } from './decode/decode-plan.js';
import type { DecodePlan } from './decode/decode-plan.js';
import {
  STATUS_BYTES,
  STATUS_ENTROPY_ERROR,
  STATUS_OVERFLOW,
  decodeKernels,
  recordDecode,
} from './decode/record-decode.js';
import type { CoefficientFrame, DecodeKernels, GpuEntropyDecoder } from './decode/record-decode.js';
import { parseBaselineScan } from './entropy/baseline-scan.js';
import type { BaselineScan } from './entropy/baseline-scan.js';
import { ENTROPY_SHADER, gpuEntropyDecoder } from './entropy/record-entropy.js';
import { chunkCount, selfSyncKernels, synchronise } from './entropy/self-sync.js';
import type { SelfSyncKernels } from './entropy/self-sync.js';
import { requestDevice } from './gpu.js';
import { BACKEND_NAME, GpuContext } from './gpu-context.js';
import type { GpuPixels } from './gpu-pixels.js';
import { encodeGpuPixels } from './encode/encode-jpeg.js';
import { runOps } from './ops/run-ops.js';
import { PACK_SHADER, deliver, orientedSize, recordPack } from './pack/record-pack.js';
import type { PixelView } from './pack/record-pack.js';
import { submitAndRead } from './pack/submit-and-read.js';
import { downloadPixels, uploadHostImage } from './pixel-transfer.js';
import { WebGPUImage } from './webgpu-image.js';

export interface WebGPUBackendOptions extends BackendInitOptions {
  /** Use this device (e.g. the app's own) instead of requesting one; it is not destroyed by `dispose`. */
  gpuDevice?: GPUDevice;
  /** Look the adapter up through this GPU object instead of `navigator.gpu` / Dawn. */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
  /** Worker threads of the entropy decoder (@jpegkit/wasm); default: the machine's cores; 0: calling thread. */
  threads?: number;
  /**
   * Where Huffman decoding runs. 'auto' (default): on the GPU for single-scan sequential Huffman JPEGs with
   * enough parallel work — short restart intervals (see {@link GPU_ENTROPY_MIN_INTERVALS}) or, without restart
   * markers or with long intervals, chunks for the self-synchronising decoder
   * ({@link GPU_SELF_SYNC_MIN_CHUNKS}) — in the wasm workers otherwise; 'gpu': on the GPU whenever the file
   * allows it; 'wasm': never on the GPU.
   */
  entropy?: 'auto' | 'gpu' | 'wasm';
}

/**
 * 'auto' decodes the entropy-coded data on the GPU from this many restart intervals on (one invocation each,
 * so fewer leave most of the GPU idle while each invocation works through long intervals serially), when no
 * interval holds more than {@link GPU_ENTROPY_MAX_INTERVAL_MCUS} MCUs.
 */
export const GPU_ENTROPY_MIN_INTERVALS = 64;
/** Longer restart intervals are decoded by self-synchronising chunks within each interval. */
export const GPU_ENTROPY_MAX_INTERVAL_MCUS = 64;
/**
 * 'auto' decodes scans without restart markers, or with intervals longer than
 * {@link GPU_ENTROPY_MAX_INTERVAL_MCUS}, on the GPU from this many 4096-bit chunks (256 KiB) on.
 */
export const GPU_SELF_SYNC_MIN_CHUNKS = 512;

/** Which entropy decoder did the work, counted per decode (diagnostics for tests and benchmarks). */
export interface EntropyStats {
  /** Decodes whose Huffman decoding ran on the GPU. */
  gpu: number;
  /** Decodes whose coefficients came from the wasm reader. */
  wasm: number;
  /** Of `gpu`: scans without restart markers or with long intervals, decoded by self-synchronising chunks. */
  gpuSelfSync: number;
  /** GPU attempts given up (data libjpeg would warn about, or chunks that did not synchronise), then read
   * again by the wasm reader. */
  gpuRejected: number;
}

interface Live {
  ctx: GpuContext;
  decode: DecodeKernels;
  pack: GPUComputePipeline;
  entropy: GPUComputePipeline;
  selfSync: SelfSyncKernels;
  ownsDevice: boolean;
}

/** A pipeline's input on the GPU, with what its result reports. */
interface PlanPixels {
  pixels: GpuPixels;
  /** Made for this run (decoded or uploaded): released when done. */
  owned: boolean;
  /** Whether A is an alpha channel. */
  alpha: boolean;
  orientation: Orientation;
  icc: Uint8Array | undefined;
}

/**
 * Whether `scan` is decoded by self-synchronising chunks (no restart markers, or intervals longer than
 * {@link GPU_ENTROPY_MAX_INTERVAL_MCUS}) rather than one invocation per restart interval.
 */
function usesSelfSync(scan: BaselineScan): boolean {
  return scan.restartInterval === 0 || scan.restartInterval > GPU_ENTROPY_MAX_INTERVAL_MCUS;
}

/** A decode the GPU entropy decoder gave up on: read the coefficients with libjpeg instead. */
const ENTROPY_REJECTED = Symbol('entropy rejected');

function initError(message: string, cause?: unknown): JpegError {
  return new JpegError('E_BACKEND_INIT', message, { backend: BACKEND_NAME, cause });
}

/** Any failure as a JpegError of this backend (a wasm entropy-decoding error keeps its code and message). */
function asJpegError(error: unknown): JpegError {
  if (isJpegError(error)) {
    return error.backend === BACKEND_NAME
      ? error
      : new JpegError(error.code, error.message, { backend: BACKEND_NAME, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new JpegError('E_CORRUPT', `unexpected failure: ${message}`, {
    backend: BACKEND_NAME,
    cause: error,
  });
}

function describeAdapter(info: GPUAdapterInfo | undefined): string {
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  return `${parts.length > 0 ? [...new Set(parts)].join(' ') : 'WebGPU adapter'} (WebGPU)`;
}

const OVERFLOW_REASON =
  'DCT coefficients outside the range the GPU IDCT computes exactly in 32 bits (damaged or unusual data)';

export class WebGPUBackend implements Backend {
  readonly name = BACKEND_NAME;
  readonly priority = 20;
  #live: Live | undefined;
  #reader: WasmBackend | undefined;
  /** The wasm codec whose coefficient writer does the Huffman coding of encodes. */
  #wasm: Promise<JpegkitWasm> | undefined;
  #options: WebGPUBackendOptions = {};
  /** Which entropy decoder each decode used. */
  readonly entropyStats: EntropyStats = { gpu: 0, gpuSelfSync: 0, wasm: 0, gpuRejected: 0 };

  async init(options: WebGPUBackendOptions = {}): Promise<BackendCaps> {
    await this.dispose();
    this.#options = options;
    let description: string;
    try {
      const live = await this.#open(options);
      this.#live = live.live;
      description = live.description;
    } catch (error) {
      throw isJpegError(error)
        ? error
        : initError(`WebGPU is not available: ${(error as Error)?.message ?? String(error)}`, error);
    }
    const reader = new WasmBackend();
    try {
      await reader.init(options.threads === undefined ? {} : { threads: options.threads });
    } catch (error) {
      await this.dispose();
      throw initError(
        `the entropy decoder (@jpegkit/wasm) could not load: ${(error as Error)?.message ?? String(error)}`,
        error,
      );
    }
    this.#reader = reader;
    return {
      device: description,
      formats: PIXEL_FORMATS,
      scales: [1, 0.5, 0.25, 0.125],
      deviceImages: true,
      encode: true,
      transform: false,
      ops: [...OP_NAMES],
      notes: [
        'decode equal to djpeg -dct int: Huffman decoding on the GPU for single-scan sequential JPEGs (by short restart interval, or self-synchronising chunks within long intervals or without restart markers), libjpeg in @jpegkit/wasm workers for the rest; IDCT, upsampling and colour on the GPU',
        'pixel ops as compute kernels (within ±1 of core); encode: colour conversion, downsampling, FDCT and quantisation on the GPU (equal to cjpeg), Huffman coding by @jpegkit/wasm; pipelines stay on the GPU from decode to coefficients',
        'next backend: 12-bit and lossless JPEGs, partial decodes of damaged data, arithmetic-coded encodes',
      ],
    };
  }

  async #open(options: WebGPUBackendOptions): Promise<{ live: Live; description: string }> {
    let device: GPUDevice;
    let description: string;
    let ownsDevice = false;
    if (options.gpuDevice) {
      device = options.gpuDevice;
      description = 'WebGPU device supplied by the application';
    } else {
      const found = await requestDevice({
        ...(options.gpu ? { gpu: options.gpu } : {}),
        ...(options.powerPreference ? { powerPreference: options.powerPreference } : {}),
      });
      device = found.device;
      description = describeAdapter(found.adapter.info);
      ownsDevice = true;
    }
    const ctx = new GpuContext(device);
    try {
      const [decode, pack, entropy, selfSync] = await Promise.all([
        decodeKernels(ctx),
        ctx.kernels.pipeline(PACK_SHADER),
        ctx.kernels.pipeline(ENTROPY_SHADER),
        selfSyncKernels(ctx),
      ]);
      return { live: { ctx, decode, pack, entropy, selfSync, ownsDevice }, description };
    } catch (error) {
      if (ownsDevice) device.destroy();
      throw initError(
        `the WGSL decode kernels did not build: ${(error as Error)?.message ?? String(error)}`,
        error,
      );
    }
  }

  /** The working device; after a device loss, a fresh one (when this backend made the first). */
  async #ready(): Promise<{ live: Live; reader: WasmBackend }> {
    const reader = this.#reader;
    let live = this.#live;
    if (!live || !reader) {
      throw initError('the webgpu backend is not initialised (await init() first)');
    }
    if (live.ctx.lost !== undefined) {
      const lost = live.ctx.deviceLost();
      if (!live.ownsDevice) throw lost;
      try {
        live = (await this.#open(this.#options)).live;
      } catch {
        throw lost;
      }
      this.#live = live;
    }
    return { live, reader };
  }

  canDecode(header: JpegHeader, options?: ResolvedDecodeOptions): true | string {
    if (header.lossless) return 'lossless JPEG: libjpeg-turbo 2.1 reads no lossless coefficients';
    if (header.precision !== 8)
      return `${header.precision}-bit JPEG: the webgpu backend decodes 8-bit samples`;
    const count = header.components.length;
    if (count !== 1 && count !== 3 && count !== 4) return `JPEG with ${count} components`;
    if (options?.partial) return 'partial decodes of damaged data are left to the next backend';
    return true;
  }

  /**
   * The parsed scan when this image's Huffman decoding should run on the GPU, or why it should not (for the
   * configured `entropy` mode).
   */
  entropyRoute(bytes: Uint8Array, header: JpegHeader): BaselineScan | string {
    const mode = this.#options.entropy ?? 'auto';
    if (mode === 'wasm') return "the GPU Huffman decoder is off (entropy: 'wasm')";
    if (header.progressive || header.arithmetic)
      return 'progressive and arithmetic-coded scans are read by libjpeg';
    const scan = parseBaselineScan(bytes);
    if (typeof scan === 'string' || mode === 'gpu') return scan;
    if (usesSelfSync(scan)) {
      const chunks = chunkCount(scan);
      if (chunks < GPU_SELF_SYNC_MIN_CHUNKS)
        return `${chunks} chunks of entropy-coded data: too few to fill a GPU`;
      return scan;
    }
    const intervals = scan.intervalStarts.length - 1;
    if (intervals < GPU_ENTROPY_MIN_INTERVALS) return `${intervals} restart intervals: too few to fill a GPU`;
    return scan;
  }

  /** The GPU entropy decoder for `scan`, or undefined when the self-synchronising chunks did not agree. */
  async #gpuEntropy(live: Live, scan: BaselineScan): Promise<GpuEntropyDecoder | undefined> {
    if (!usesSelfSync(scan)) return gpuEntropyDecoder(live.ctx, live.entropy, scan);
    return (await synchronise(live.ctx, live.selfSync, scan))?.decoder;
  }

  async decode(
    bytes: Uint8Array,
    header: JpegHeader,
    options: ResolvedDecodeOptions,
  ): Promise<HostImage | WebGPUImage> {
    try {
      const { live, reader } = await this.#ready();
      if (options.location === 'device') {
        const pixels = await this.#decodePixels(live, reader, bytes, header, options);
        return new WebGPUImage(live.ctx, pixels, options.format, resultOrientation(header, options.orient));
      }
      return await this.#decodeRouted(live, reader, bytes, header, options, (frame, entropy) =>
        this.#decodeToHost(live, frame, header, options, entropy),
      );
    } catch (error) {
      throw asJpegError(error);
    }
  }

  /** Decodes to GpuPixels that stay on the GPU (cropped and oriented as `options` say; the caller owns them). */
  #decodePixels(
    live: Live,
    reader: WasmBackend,
    bytes: Uint8Array,
    header: JpegHeader,
    options: ResolvedDecodeOptions,
  ): Promise<GpuPixels> {
    return this.#decodeRouted(live, reader, bytes, header, options, (frame, entropy) =>
      this.#decodeToPixels(live, frame, header, options, entropy),
    );
  }

  /**
   * Runs `decodeFrame` on the GPU entropy decoder's output when this image's Huffman decoding goes to the GPU,
   * and on the coefficients libjpeg reads otherwise (or when the GPU decoder gave up on the data).
   */
  async #decodeRouted<T>(
    live: Live,
    reader: WasmBackend,
    bytes: Uint8Array,
    header: JpegHeader,
    options: ResolvedDecodeOptions,
    decodeFrame: (
      frame: CoefficientFrame,
      entropy?: GpuEntropyDecoder,
    ) => Promise<T | typeof ENTROPY_REJECTED>,
  ): Promise<T> {
    // Checks the crop against the scaled size (throws E_INVALID_ARGUMENT like core's own check).
    decodedSize(header, options);
    const scan = this.entropyRoute(bytes, header);
    if (typeof scan !== 'string') {
      const decoder = await this.#gpuEntropy(live, scan);
      const result = decoder ? await decodeFrame(scan, decoder) : ENTROPY_REJECTED;
      if (result !== ENTROPY_REJECTED) {
        this.entropyStats.gpu++;
        if (usesSelfSync(scan)) this.entropyStats.gpuSelfSync++;
        return result;
      }
      this.entropyStats.gpuRejected++;
    }
    const frame = await reader.readCoefficients(bytes);
    this.entropyStats.wasm++;
    const result = await decodeFrame(frame);
    if (result === ENTROPY_REJECTED) throw new Error('entropy status raised without GPU entropy decoding');
    return result;
  }

  async #decodeToHost(
    live: Live,
    frame: CoefficientFrame,
    header: JpegHeader,
    options: ResolvedDecodeOptions,
    entropy?: GpuEntropyDecoder,
  ): Promise<HostImage | typeof ENTROPY_REJECTED> {
    const { ctx } = live;
    const { plan, view } = planView(frame, header, options);
    ctx.assertAlive();
    const image = await submitAndRead(
      ctx,
      (encoder) => {
        const decoded = recordDecode(ctx, live.decode, encoder, frame, plan, entropy);
        const packed = recordPack(ctx, live.pack, encoder, decoded.pixels, view, options.format);
        return {
          reads: [
            { buffer: packed.output, bytes: packed.bytes },
            { buffer: decoded.status, bytes: STATUS_BYTES },
          ],
          scratch: [
            ...decoded.scratch,
            decoded.pixels.buffer,
            decoded.status,
            ...packed.scratch,
            packed.output,
          ],
        };
      },
      ([packed, status]) => {
        const flags = readStatus(status!);
        if (flags !== 0) return flags;
        const { width, height } = orientedSize(view);
        const orientation = resultOrientation(header, options.orient);
        return deliver(packed!, width, height, options.format, orientation, options.into);
      },
    );
    if (typeof image === 'number') return statusOutcome(image);
    image.backend = BACKEND_NAME;
    return image;
  }

  async #decodeToPixels(
    live: Live,
    frame: CoefficientFrame,
    header: JpegHeader,
    options: ResolvedDecodeOptions,
    entropy?: GpuEntropyDecoder,
  ): Promise<GpuPixels | typeof ENTROPY_REJECTED> {
    const { ctx } = live;
    const { plan, view } = planView(frame, header, options);
    ctx.assertAlive();
    let result: GpuPixels | undefined;
    const flags = await submitAndRead(
      ctx,
      (encoder) => {
        const decoded = recordDecode(ctx, live.decode, encoder, frame, plan, entropy);
        const scratch = [...decoded.scratch, decoded.status];
        const whole =
          view.x === 0 && view.y === 0 && view.width === plan.width && view.height === plan.height;
        if (whole && view.orientation === 1) {
          result = decoded.pixels;
        } else {
          const packed = recordPack(ctx, live.pack, encoder, decoded.pixels, view, 'pixels');
          result = {
            buffer: packed.output,
            width: packed.width,
            height: packed.height,
            gray: decoded.pixels.gray,
          };
          scratch.push(decoded.pixels.buffer, ...packed.scratch);
        }
        return { reads: [{ buffer: decoded.status, bytes: STATUS_BYTES }], scratch };
      },
      ([status]) => readStatus(status!),
    ).catch((error: unknown) => {
      if (result) ctx.buffers.release(result.buffer);
      throw error;
    });
    if (flags !== 0) {
      ctx.buffers.release(result!.buffer);
      return statusOutcome(flags);
    }
    return result!;
  }

  async decodeBatch(
    items: readonly { bytes: Uint8Array; header: JpegHeader }[],
    options: ResolvedDecodeOptions,
  ): Promise<(HostImage | WebGPUImage | JpegError)[]> {
    // The entropy decoding of the images spreads over the wasm workers; their GPU work queues up behind it.
    return Promise.all(
      items.map((item) =>
        this.decode(item.bytes, item.header, options).catch((e: unknown) => asJpegError(e)),
      ),
    );
  }

  /**
   * Encodes a host image (uploaded once) or a WebGPUImage of this backend (read where it lies, no copy): colour
   * conversion, downsampling, FDCT and quantisation on the GPU, Huffman coding by @jpegkit/wasm's coefficient
   * writer. Arithmetic coding rejects with E_UNSUPPORTED (core then asks the next backend).
   */
  async encode(image: HostImage | DeviceImage, options: ResolvedEncodeOptions): Promise<Uint8Array> {
    try {
      const { live } = await this.#ready();
      const input = this.#pixelsOf(live, image);
      try {
        return await encodeGpuPixels(live.ctx, input.pixels, options, await this.#writer());
      } finally {
        if (input.owned) live.ctx.buffers.release(input.pixels.buffer);
      }
    } catch (error) {
      throw asJpegError(error);
    }
  }

  /**
   * Runs a whole pipeline on the GPU: the JPEG decoded (auto-oriented) or the image uploaded (a WebGPUImage is
   * used where it lies), every step as compute kernels in one submission, then the output — JPEG bytes (the
   * encoder reads the pixels on the GPU; only quantised coefficients come back), a host image, or a WebGPUImage
   * that stays on the device.
   */
  async run(plan: PipelinePlan): Promise<PlanResult> {
    try {
      const { live, reader } = await this.#ready();
      const { ctx } = live;
      const input = await this.#planInput(live, reader, plan);
      const output = plan.output;
      // Image outputs end with the format's convert (luma for gray, A = 255 without alpha), as core's reference
      // pipeline does; the channel order and planar layout are the read-back's. runOps always returns a buffer
      // of its own, so a device result never shares the input WebGPUImage's.
      const steps: OpStep[] =
        output.kind === 'image' ? [...plan.steps, { op: 'convert', format: output.format }] : plan.steps;
      let pixels = input.pixels;
      let owned = input.owned;
      if (steps.length > 0) {
        try {
          pixels = await runOps(ctx, input.pixels, steps, { alpha: input.alpha });
        } finally {
          if (input.owned) ctx.buffers.release(input.pixels.buffer);
        }
        owned = true;
      }
      const orientation: Orientation = plan.steps.some((s) => s.op === 'orient') ? 1 : input.orientation;
      if (output.kind === 'image' && output.location === 'device') {
        return new WebGPUImage(ctx, pixels, output.format, orientation);
      }
      try {
        if (output.kind === 'jpeg')
          return await encodeGpuPixels(ctx, pixels, output.encode, await this.#writer());
        const image = await downloadPixels(ctx, pixels, output.format, { orientation });
        if (input.icc !== undefined) image.icc = input.icc;
        return image;
      } finally {
        if (owned) ctx.buffers.release(pixels.buffer);
      }
    } catch (error) {
      throw asJpegError(error);
    }
  }

  /** A plan's input as GpuPixels: decoded or uploaded (owned: the caller releases them) or a WebGPUImage's own. */
  async #planInput(live: Live, reader: WasmBackend, plan: PipelinePlan): Promise<PlanPixels> {
    if (plan.input.kind === 'image') {
      const image = plan.input.image;
      const icc = isDeviceImage(image) ? undefined : image.icc;
      return { ...this.#pixelsOf(live, image), orientation: image.orientation, icc };
    }
    const { bytes, header } = plan.input;
    const options = planDecodeOptions(plan);
    if (plan.shrinkOnLoad) {
      // The reduced IDCTs this decoder has: 1/2, 1/4, 1/8 (libjpeg's, bit-exact with wasm at those scales).
      const { width, height, orientation } = header;
      options.scale = shrinkOnLoadScale(
        width,
        height,
        orientation,
        plan.steps,
        plan.orient,
        DCT_SCALES,
      ) as DctScale;
    }
    const decoded = await this.#decodePixels(live, reader, bytes, header, options);
    // A pipeline decodes to rgb on every backend: a gray JPEG's pixels continue as colour (R = G = B), so its
    // export has three components as with wasm and cuda, unless a step converts to gray.
    const pixels: GpuPixels = { ...decoded, gray: false };
    return {
      pixels,
      owned: true,
      alpha: false,
      orientation: resultOrientation(header, plan.orient),
      icc: header.icc,
    };
  }

  /** The GpuPixels of an image: a host image uploaded (owned by the caller), a WebGPUImage's as they are. */
  #pixelsOf(
    live: Live,
    image: HostImage | DeviceImage,
  ): { pixels: GpuPixels; owned: boolean; alpha: boolean } {
    const alpha = image.format === 'rgba' || image.format === 'bgra';
    if (!isDeviceImage(image)) {
      checkHostImage(image, 'image');
      return { ...uploadHostImage(live.ctx, image), owned: true };
    }
    if (!(image instanceof WebGPUImage)) {
      throw new JpegError(
        'E_INVALID_ARGUMENT',
        `a ${image.location} image cannot be read by the webgpu backend`,
        {
          backend: BACKEND_NAME,
        },
      );
    }
    if (image.context !== live.ctx) {
      throw new JpegError('E_DEVICE_LOST', 'this WebGPUImage belongs to a WebGPU device that is gone', {
        backend: BACKEND_NAME,
      });
    }
    return { pixels: image.pixels, owned: false, alpha };
  }

  /** The calling thread's wasm codec, for its coefficient writer (loaded on the first encode). */
  #writer(): Promise<JpegkitWasm> {
    if (!this.#wasm) {
      const loading = loadModule();
      loading.catch(() => {
        if (this.#wasm === loading) this.#wasm = undefined;
      });
      this.#wasm = loading;
    }
    return this.#wasm;
  }

  /** The GPU context of the working device (for kernels of this package that work on WebGPUImages). */
  get context(): GpuContext | undefined {
    return this.#live?.ctx;
  }

  async dispose(): Promise<void> {
    const live = this.#live;
    this.#live = undefined;
    if (live) {
      live.ctx.dispose();
      if (live.ownsDevice) live.ctx.device.destroy();
    }
    const reader = this.#reader;
    this.#reader = undefined;
    await reader?.dispose();
    const wasm = this.#wasm;
    this.#wasm = undefined;
    (await wasm?.catch(() => undefined))?.dispose();
  }
}

/** The decode plan of a frame and the part of it to deliver (crop in stored orientation, orientation to undo). */
function planView(
  frame: CoefficientFrame,
  header: JpegHeader,
  options: ResolvedDecodeOptions,
): { plan: DecodePlan; view: PixelView } {
  const plan = planDecode(frame, options.scale, options.format === 'gray');
  if (typeof plan === 'string') throw new JpegError('E_UNSUPPORTED', plan, { backend: BACKEND_NAME });
  const crop = options.crop ?? { x: 0, y: 0, width: plan.width, height: plan.height };
  return { plan, view: { ...crop, orientation: options.orient ? header.orientation : 1 } };
}

function readStatus(bytes: Uint8Array): number {
  return new Uint32Array(bytes.buffer, bytes.byteOffset, 1)[0]!;
}

/** What raised status flags mean: data for libjpeg to read instead, or blocks beyond the exact IDCT range. */
function statusOutcome(flags: number): typeof ENTROPY_REJECTED {
  if (flags & STATUS_ENTROPY_ERROR) return ENTROPY_REJECTED;
  if (flags & STATUS_OVERFLOW)
    throw new JpegError('E_UNSUPPORTED', OVERFLOW_REASON, { backend: BACKEND_NAME });
  throw new Error(`unknown decode status ${flags}`);
}

/** A new webgpu backend (core discovers it through this export too). */
export function createBackend(): WebGPUBackend {
  return new WebGPUBackend();
}
