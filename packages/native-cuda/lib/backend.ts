/**
 * The cuda backend: nvJPEG (the hardware decoder on A100/H100/H200, GPU-hybrid and hybrid paths for the
 * rest) and our CUDA kernels, through the native addon. Images nvJPEG cannot take are refused in
 * `canDecode` with a reason, so core sends them to the next backend.
 */
import {
  createHostImage,
  decodedSize,
  insertMetadata,
  isDeviceImage,
  JpegError,
  planDecodeOptions,
  resultOrientation,
} from '@jpegkit/core';
import type {
  Backend,
  BackendCaps,
  BackendInitOptions,
  DeviceImage,
  HostImage,
  JpegHeader,
  Orientation,
  OpStep,
  PipelinePlan,
  PixelFormat,
  PlanResult,
  ResolvedDecodeOptions,
  ResolvedEncodeOptions,
} from '@jpegkit/core';
import type { WasmBackend } from '@jpegkit/wasm';
import { CudaImage, toJpegError } from './cuda-image.js';
import { AddonLoadError, loadAddon } from './loader.js';
import { DEVICE_OPS, cachedOpsProgram } from './ops-program.js';
import { PipelineBatcher } from './pipeline-batcher.js';
import { KERNELS_REFUSAL } from './native.js';
import type {
  DecodeRoute,
  NativeAddon,
  NativeDecodeOptions,
  NativeDecodeOutcome,
  NativeDecodeSpec,
  NativeDeviceFacts,
  NativeEncodeOptions,
  NativeEngine,
  NativeExactFrame,
  NativeImageHandle,
  NativePoolStats,
} from './native.js';

const BACKEND_NAME = 'cuda';
/** CudaBackendOptions.kernelShare's default (the best share on an H200 when our kernels were slower than now). */
const DEFAULT_KERNEL_SHARE = 0.4;

export interface CudaBackendOptions extends BackendInitOptions {
  /** GPU ordinal. Default 0. */
  device?: number;
  /**
   * GPUs to spread work over: ordinals, or 'all' for every visible one. Batches are split across them, single
   * calls take turns, and a device image is always worked on by the GPU that holds it. Default `[device]`.
   */
  devices?: readonly number[] | 'all';
  /** Calls decoding at once (CUDA streams with their own nvJPEG states, made on first use). Default 8. */
  streams?: number;
  /** Use the hardware JPEG decoder when the GPU has one. Default true. */
  hardware?: boolean;
  /** Free device memory kept for reuse, MiB. Default 512. */
  poolKeepMiB?: number;
  /** Images per native batch call; a larger decodeBatch is split and the parts run on several streams. */
  batchChunk?: number;
  /** Images per native call for what the hardware decoder takes (its engines work best on big batches). Default 128. */
  hardwareChunk?: number;
  /**
   * Most images per fused pipeline call (JPEG → ops → JPEG on the device): pipelines started together are
   * gathered into native batches of up to this many. Default 8.
   */
  pipelineBatch?: number;
  /**
   * Which decoder takes the baseline JPEGs both can decode:
   * - 'kernels' (default): jpegkit's own GPU Huffman decoder and exact kernels on the SMs — djpeg -dct int's
   *   pixels, whatever the load;
   * - 'nvjpeg': nvJPEG only (the NVJPG engines, else hybrid): its IDCT and upsampling differ slightly (FIDELITY.md);
   * - 'mixed': ours for a call that has the GPU to itself, and under load ours for `kernelShare` of the images
   *   and the engines for the rest, both at once — which pixels an image gets depends on the load. On an H200 our
   *   kernels now outrun the engines (bench/results/gpu-h200-decode.md), so 'kernels' has the most images/s.
   * Progressive JPEGs: with 'kernels' (and 'mixed'), entropy-decoded on the CPU by our own decoder (several
   * threads, src/progressive-scan.cc), then the same exact kernels — djpeg's pixels; with 'nvjpeg', nvJPEG hybrid.
   * What ours does not take (arithmetic coding, progressions libjpeg would smooth, data libjpeg would warn about …)
   * goes to nvJPEG either way.
   */
  decoder?: 'kernels' | 'nvjpeg' | 'mixed';
  /** With decoder 'mixed', the share of hardware-decodable images our kernels take under load. */
  kernelShare?: number;
  /**
   * Which encoder writes baseline JPEGs with the standard Huffman tables at 4:4:4, 4:2:2, 4:2:0 or gray:
   * - 'kernels' (default): jpegkit's own GPU encoder (src/kernels/encode.cu), whose files are the very bytes of
   *   libjpeg-turbo's `cjpeg -dct int` at the same quality and sampling;
   * - 'nvjpeg': nvJPEG's encoder.
   * Optimised Huffman tables, progressive, 4:4:0 and 4:1:1 are nvJPEG's either way.
   */
  encoder?: 'kernels' | 'nvjpeg';
  /** Most images per native call of encodeBatch (a batch is spread over the streams in calls of up to this). Default 4. */
  encodeCall?: number;
  /** Addon file to load instead of the usual candidates (tests, debug builds). */
  addonPath?: string;
  /**
   * Decode bit-exact with libjpeg-turbo's `djpeg -dct int` whatever the JPEG: baseline JPEGs through our GPU
   * Huffman decoder, progressive ones through our CPU decoder, the rest (arithmetic coding, what those refuse)
   * entropy-decoded on the CPU by @jpegkit/wasm's libjpeg-turbo; then dequantisation, libjpeg's islow IDCT, fancy
   * upsampling and its YCbCr → RGB on the GPU (src/kernels/exact-*.cu) instead of nvJPEG. Takes what libjpeg reads
   * (progressive with restarts, 4:1:1, arithmetic coding …) as long as it is 8-bit YCbCr or gray. Default false.
   */
  exact?: boolean;
}

/** Sampling layouts nvJPEG's hardware decoder takes (no 4:1:1 / 4:1:0). */
const HARDWARE_SUBSAMPLINGS: readonly string[] = ['4:4:4', '4:2:2', '4:2:0', '4:4:0', 'gray'];
const FORMATS: readonly PixelFormat[] = ['rgb', 'rgba', 'bgr', 'bgra', 'gray', 'rgb-planar', 'bgr-planar'];

function initError(message: string, cause?: unknown): JpegError {
  return new JpegError('E_BACKEND_INIT', message, { backend: BACKEND_NAME, cause });
}

function unsupported(message: string): JpegError {
  return new JpegError('E_UNSUPPORTED', message, { backend: BACKEND_NAME });
}

/** Baseline, one interleaved scan, 1 or 3 components in a layout the NVJPG engines take. */
/** What nvJPEG's encoder cannot write goes to the next backend. */
function checkEncodable(options: ResolvedEncodeOptions): void {
  if (options.restartInterval > 0) throw unsupported("restart intervals: nvJPEG's encoder writes none");
  if (options.arithmetic) throw unsupported("arithmetic coding: nvJPEG's encoder writes Huffman codes only");
}

/** Most images per native encodeBatch call (see encodeBatch). */
const ENCODE_CALL_MAX = 4;

/** What the native encoders take of the options (metadata is inserted after). */
function nativeEncodeOptions(
  options: ResolvedEncodeOptions,
  encoder: 'kernels' | 'nvjpeg',
): NativeEncodeOptions {
  return {
    quality: options.quality,
    subsampling: options.subsampling,
    optimize: options.optimize,
    progressive: options.progressive,
    encoder,
  };
}

/** One image of a fused pipeline batch. */
interface FusedJob {
  bytes: Uint8Array;
  spec: NativeDecodeSpec;
  program: Float64Array;
  encode: NativeEncodeOptions;
}

/** One native decode call of a batch: the items' indices and the route. */
interface NativeCall {
  indices: number[];
  route: NativeDecodeOptions;
}

/** `indices` cut into native calls of at most `size` (at least 1) with one route. */
/** `indices` in consecutive parts of up to `size` (at least 1). */
function slices(indices: readonly number[], size: number): number[][] {
  const step = Math.max(1, size);
  const parts: number[][] = [];
  for (let i = 0; i < indices.length; i += step) parts.push(indices.slice(i, i + step));
  return parts;
}

function inCalls(indices: readonly number[], size: number, route: NativeDecodeOptions): NativeCall[] {
  return slices(indices, size).map((part) => ({ indices: part, route }));
}

/** Whether a 'kernels-only' failure is our GPU Huffman decoder refusing the image (not a decode error). */
function kernelsRefused(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: string }).code === 'E_UNSUPPORTED' &&
    error.message.startsWith(KERNELS_REFUSAL)
  );
}

function hardwareCandidate(header: JpegHeader): boolean {
  return (
    header.process === 'baseline' &&
    // Codec headers are read up to the first scan only: a baseline scan with every component is the only one.
    header.scans[0]?.components.length === header.components.length &&
    (header.components.length === 1 || header.components.length === 3) &&
    HARDWARE_SUBSAMPLINGS.includes(header.subsampling)
  );
}

/** Frame header facts the exact path checks: every component's factors divide the largest ones. */
function integralSampling(header: JpegHeader): boolean {
  const maxH = Math.max(...header.components.map((c) => c.h));
  const maxV = Math.max(...header.components.map((c) => c.v));
  return header.components.every((c) => c.h > 0 && c.v > 0 && maxH % c.h === 0 && maxV % c.v === 0);
}

/**
 * canDecode in exact mode: what libjpeg reads (the CPU entropy decoder is libjpeg-turbo) and our kernels
 * convert: 8-bit, Huffman or arithmetic, sequential or progressive (restarts too), 1-component gray or
 * 3-component YCbCr with integral sampling ratios (4:1:1 and the rest).
 */
export function exactCanDecode(header: JpegHeader, options?: ResolvedDecodeOptions): true | string {
  if (header.lossless) return 'lossless JPEG: not decoded by the cuda backend';
  if (header.precision !== 8)
    return `${header.precision}-bit JPEG: the exact path decodes 8-bit samples only`;
  const count = header.components.length;
  if (!((count === 1 && header.colorSpace === 'gray') || (count === 3 && header.colorSpace === 'YCbCr'))) {
    return `${header.colorSpace} JPEG (${count} components): the exact path decodes gray and YCbCr JPEGs only`;
  }
  if (!integralSampling(header)) return 'fractional sampling ratios: libjpeg refuses them too';
  if (header.truncated) return 'truncated data: left to a backend that reports how much is real';
  if (options) {
    if (!FORMATS.includes(options.format))
      return `format ${options.format} is not produced by the cuda backend`;
    if (options.partial) return 'partial decodes of damaged data are not supported by the exact path';
    if (options.crop) return 'crop is not implemented on the cuda backend yet';
    if (options.scale !== 1) return 'DCT scaling is not implemented on the cuda backend yet';
  }
  return true;
}

/** A host image's pixels, or the handle of one of this backend's own device images, as the addon takes them. */
function nativeInput(
  image: HostImage | DeviceImage,
  verb: string,
):
  | { image: CudaImage['handle'] }
  | { data: Uint8Array; width: number; height: number; stride: number; format: PixelFormat } {
  if (!isDeviceImage(image)) {
    return {
      data: image.data,
      width: image.width,
      height: image.height,
      stride: image.stride,
      format: image.format,
    };
  }
  if (!(image instanceof CudaImage))
    throw unsupported(`the cuda backend ${verb} its own device images, not ${image.location} ones`);
  if (image.released) {
    throw new JpegError('E_INVALID_ARGUMENT', 'this device image has been released', {
      backend: BACKEND_NAME,
    });
  }
  return { image: image.handle };
}

export class CudaBackend implements Backend {
  readonly name = BACKEND_NAME;
  readonly priority = 30;
  /** One engine per GPU in use (the first one's facts are `device`). */
  #engines: NativeEngine[] = [];
  #turn = 0;
  /** Which engine made each device image: only that GPU may read it. */
  readonly #owners = new WeakMap<NativeImageHandle, NativeEngine>();
  #device: NativeDeviceFacts | undefined;
  #batchChunk = 32;
  #hardwareChunk = 128;
  #streams = 8;
  #decoder: 'kernels' | 'nvjpeg' | 'mixed' | 'hybrid' = 'kernels';
  #encoder: 'kernels' | 'nvjpeg' = 'kernels';
  #encodeCall = ENCODE_CALL_MAX;
  #kernelShare = DEFAULT_KERNEL_SHARE;
  #shareCredit = 0;
  /** Native decode calls in flight (a call alone gets the lowest-latency route). */
  #inFlight = 0;
  #hardwareDecoder = false;
  /** Images decoded per route since init. */
  #routes: Partial<Record<DecodeRoute, number>> = {};
  #pipelines: PipelineBatcher<FusedJob, Uint8Array> | undefined;
  #addon: NativeAddon | undefined;
  /** Exact mode's entropy decoder: @jpegkit/wasm's worker pool (one libjpeg-turbo instance per core). */
  #wasm: WasmBackend | undefined;

  /**
   * Loads the addon, checks the GPU and nvJPEG, and creates the engine. Rejects with E_BACKEND_INIT and the
   * first reason found: "the native addon was not built: nvcc not found …", "no NVIDIA driver (libcuda.so.1
   * not found)", "no CUDA device", "compute capability 5.2 < 6.0", "libnvjpeg.so.13 not found (…)".
   */
  async init(options: CudaBackendOptions = {}): Promise<BackendCaps> {
    let addon: NativeAddon;
    try {
      addon = options.addonPath ? loadAddon([options.addonPath]) : loadAddon();
    } catch (error) {
      throw initError(error instanceof AddonLoadError ? error.summary : String(error), error);
    }
    const first = options.device ?? (Array.isArray(options.devices) ? options.devices[0] : undefined) ?? 0;
    const device = await addon.probe(first).catch((error: unknown) => {
      throw initError((error as Error).message, error);
    });
    const nvjpeg = await addon.loadNvjpeg().catch((error: unknown) => {
      throw initError((error as Error).message, error);
    });
    const ordinals =
      options.devices === 'all'
        ? Array.from({ length: device.count }, (_, i) => i)
        : [...(options.devices ?? [first])];
    const engines: NativeEngine[] = [];
    const disposeAll = () => Promise.all(engines.map((e) => e.dispose()));
    for (const ordinal of ordinals) {
      const facts =
        ordinal === first
          ? device
          : await addon.probe(ordinal).catch(async (error: unknown) => {
              await disposeAll();
              throw initError(`GPU ${ordinal}: ${(error as Error).message}`, error);
            });
      const engineOptions: Parameters<NativeAddon['createEngine']>[0] = { device: ordinal };
      if (options.streams !== undefined) engineOptions.streams = options.streams;
      if (options.hardware !== undefined) engineOptions.hardware = options.hardware;
      if (options.poolKeepMiB !== undefined) engineOptions.poolKeepMiB = options.poolKeepMiB;
      engines.push(
        await addon.createEngine(engineOptions).catch(async (error: unknown) => {
          await disposeAll();
          throw initError(
            `nvJPEG could not start on ${facts.name} (GPU ${ordinal}): ${(error as Error).message}`,
            error,
          );
        }),
      );
    }
    const engine = engines[0]!;
    if (options.exact) {
      if (typeof addon.decodeExact !== 'function') {
        await disposeAll();
        throw initError('this build of the native addon has no exact decode path (rebuild it: build:addon)');
      }
      try {
        // Loaded on demand: importing @jpegkit/wasm also registers the wasm backend with core.
        const wasm = await import('@jpegkit/wasm');
        const entropy = new wasm.WasmBackend();
        await entropy.init({});
        this.#wasm = entropy;
      } catch (error) {
        await disposeAll();
        throw initError(
          `the exact path's entropy decoder (@jpegkit/wasm) could not load: ${String(error)}`,
          error,
        );
      }
    }
    this.#addon = addon;
    this.#engines = engines;
    this.#device = device;
    if (options.batchChunk !== undefined) this.#batchChunk = Math.max(1, Math.floor(options.batchChunk));
    if (options.streams !== undefined) this.#streams = Math.max(1, Math.floor(options.streams));
    if (options.hardwareChunk !== undefined)
      this.#hardwareChunk = Math.max(1, Math.floor(options.hardwareChunk));
    if (options.decoder !== undefined) this.#decoder = options.decoder;
    if (options.encoder !== undefined) this.#encoder = options.encoder;
    if (options.encodeCall !== undefined) this.#encodeCall = Math.max(1, Math.floor(options.encodeCall));
    if (options.kernelShare !== undefined) this.#kernelShare = Math.min(1, Math.max(0, options.kernelShare));
    this.#hardwareDecoder = engine.hardwareDecoder;
    const runPipelineBatch = addon.runPipelineBatch;
    if (typeof runPipelineBatch === 'function' && !this.#wasm) {
      const maxBatch = Math.max(1, Math.floor(options.pipelineBatch ?? 8));
      this.#pipelines = new PipelineBatcher<FusedJob, Uint8Array>(
        (jobs) =>
          this.#native(jobs.length, (route) =>
            runPipelineBatch(
              this.#pick(),
              jobs.map((j) => j.bytes),
              jobs.map((j) => j.spec),
              jobs.map((j) => j.program),
              jobs[0]!.encode,
              route,
            ),
          ),
        maxBatch,
      );
    }
    const decoder = engine.hardwareDecoder
      ? `hardware decoder, ${engine.hardwareEngines} engine${engine.hardwareEngines === 1 ? '' : 's'}`
      : 'no hardware decoder';
    const gpus = engines.length > 1 ? `${engines.length}× ` : '';
    return {
      device: `${gpus}${device.name} (compute ${device.computeCapability}, nvJPEG ${nvjpeg.version || 'unknown'}, ${decoder})`,
      formats: FORMATS,
      scales: [1],
      deviceImages: true,
      encode: true,
      transform: false,
      ops: typeof addon.runOps === 'function' ? DEVICE_OPS : [],
      notes: [
        `CUDA runtime ${addon.cudaRuntime} (static), driver ${device.driverVersion}; nvJPEG from ${nvjpeg.path}`,
        `kernels for ${addon.kernelTargets}`,
        this.#decoderNote(),
        'refused (next backend): arithmetic coding, 12-bit and lossless, CMYK/YCCK, RGB-coded, crop, scale, partial',
        this.#wasm
          ? "exact mode: baseline JPEGs through our GPU Huffman decoder, the rest entropy-decoded on the CPU (libjpeg-turbo in wasm); then libjpeg's islow IDCT, fancy upsampling and colour conversion on the GPU: pixels equal djpeg -dct int"
          : this.#decoder === 'nvjpeg'
            ? "progressive JPEGs decode on nvJPEG's hybrid path (CPU Huffman); nvJPEG's IDCT and upsampling are not libjpeg's, so those pixels differ slightly from djpeg -dct int (FIDELITY.md)"
            : "progressive JPEGs: entropy-decoded on the CPU by our own decoder (scans over several threads), then the exact kernels: pixels equal djpeg -dct int; what it refuses goes to nvJPEG's hybrid path",
      ],
    };
  }

  canDecode(header: JpegHeader, options?: ResolvedDecodeOptions): true | string {
    if (this.#wasm) return exactCanDecode(header, options);
    if (header.arithmetic) return 'arithmetic-coded JPEG: nvJPEG decodes Huffman-coded JPEGs only';
    if (header.lossless) return 'lossless JPEG: not decoded by the cuda backend';
    if (header.precision !== 8) return `${header.precision}-bit JPEG: nvJPEG decodes 8-bit samples only`;
    if (header.components.length === 4 || header.colorSpace === 'CMYK' || header.colorSpace === 'YCCK') {
      return `${header.colorSpace} JPEG (${header.components.length} components): nvJPEG decodes 1- and 3-component JPEGs only`;
    }
    if (header.colorSpace === 'RGB') return 'RGB-coded JPEG: nvJPEG would convert it as YCbCr';
    if (header.colorSpace !== 'YCbCr' && header.colorSpace !== 'gray') {
      return `${header.colorSpace} colour space: not decoded by the cuda backend`;
    }
    if (header.subsampling === 'other') return 'unusual sampling factors: not decoded by the cuda backend';
    // Measured on nvJPEG 13.0 (H200): its hybrid decoder answers NVJPEG_STATUS_BAD_JPEG for these.
    if (header.progressive && header.restartInterval > 0) {
      return 'progressive JPEG with restart markers: nvJPEG 13 rejects them';
    }
    if (header.truncated) return 'truncated data: left to a backend that reports how much is real';
    if (options) {
      if (!FORMATS.includes(options.format))
        return `format ${options.format} is not produced by the cuda backend`;
      if (options.partial) return 'partial decodes of damaged data are not supported by nvJPEG';
      if (options.crop) return 'crop is not implemented on the cuda backend yet';
      if (options.scale !== 1) return 'DCT scaling is not implemented on the cuda backend yet';
    }
    return true;
  }

  /** The next engine in turn (a single GPU: always the same one). */
  #pick(): NativeEngine {
    const engines = this.#engines;
    if (engines.length === 0) throw initError('the cuda backend is not initialised (call init first)');
    return engines[this.#turn++ % engines.length]!;
  }

  /** The engine that must work on `image`: the GPU holding a device image, else the next in turn. */
  #engineFor(image: HostImage | DeviceImage): NativeEngine {
    const owner = image instanceof CudaImage ? this.#owners.get(image.handle) : undefined;
    if (owner && !this.#engines.includes(owner)) {
      throw new JpegError(
        'E_INVALID_ARGUMENT',
        'this device image comes from a cuda backend that has been disposed',
        {
          backend: BACKEND_NAME,
        },
      );
    }
    return owner ?? this.#pick();
  }

  /** A device image made by `engine`, remembered as its. */
  #deviceImage(engine: NativeEngine, handle: NativeImageHandle, orientation: Orientation): CudaImage {
    this.#owners.set(handle, engine);
    return new CudaImage(handle, orientation);
  }

  #spec(header: JpegHeader, options: ResolvedDecodeOptions, out?: HostImage): NativeDecodeSpec {
    const spec: NativeDecodeSpec = {
      format: options.format,
      orientation: options.orient ? header.orientation : 1,
      width: header.width,
      height: header.height,
      progressive: header.progressive,
      hardwareCandidate: hardwareCandidate(header),
      location: options.location,
    };
    if (out) {
      spec.out = out.data;
      spec.outStride = out.stride;
    }
    return spec;
  }

  #result(
    engine: NativeEngine,
    outcome: NativeDecodeOutcome,
    header: JpegHeader,
    options: ResolvedDecodeOptions,
    out: HostImage | undefined,
  ): HostImage | CudaImage {
    const orientation = resultOrientation(header, options.orient);
    this.#routes[outcome.route] = (this.#routes[outcome.route] ?? 0) + 1;
    if (outcome.image) return this.#deviceImage(engine, outcome.image, orientation);
    return { ...out!, width: outcome.width, height: outcome.height, orientation, backend: BACKEND_NAME };
  }

  /** A host image to decode into: the caller's `into`, or a new one of the decoded size. */
  #output(header: JpegHeader, options: ResolvedDecodeOptions): HostImage | undefined {
    if (options.location === 'device') return undefined;
    if (options.into) return options.into;
    const { width, height } = decodedSize(header, options);
    return createHostImage(width, height, options.format);
  }

  async decode(
    bytes: Uint8Array,
    header: JpegHeader,
    options: ResolvedDecodeOptions,
  ): Promise<HostImage | DeviceImage> {
    const engine = this.#pick();
    const out = this.#output(header, options);
    let outcome: NativeDecodeOutcome;
    try {
      const spec = this.#spec(header, options, out);
      outcome = this.#wasm
        ? await this.#decodeExact(engine, bytes, spec)
        : await this.#native(1, (route) => engine.decode(bytes, spec, route), hardwareCandidate(header));
    } catch (error) {
      throw toJpegError(error);
    }
    return this.#result(engine, outcome, header, options, out);
  }

  /**
   * The exact path: our GPU Huffman decoder and exact kernels for what they take; else coefficients from
   * libjpeg-turbo (wasm, in its worker pool) and pixels from our kernels.
   */
  async #decodeExact(
    engine: NativeEngine,
    bytes: Uint8Array,
    spec: NativeDecodeSpec,
  ): Promise<NativeDecodeOutcome> {
    try {
      return await engine.decode(bytes, spec, { route: 'kernels-only' });
    } catch (error) {
      if (!kernelsRefused(error)) throw error;
    }
    return this.#decodeExactCpu(engine, bytes, spec);
  }

  /** The exact path's CPU reader: coefficients from libjpeg-turbo (wasm), pixels from our kernels. */
  async #decodeExactCpu(
    engine: NativeEngine,
    bytes: Uint8Array,
    spec: NativeDecodeSpec,
  ): Promise<NativeDecodeOutcome> {
    const dct = await this.#wasm!.readCoefficients(bytes);
    if (dct.width !== spec.width || dct.height !== spec.height) {
      throw new JpegError(
        'E_CORRUPT',
        `libjpeg reads a ${dct.width}x${dct.height} frame where the header says ${spec.width}x${spec.height}`,
        { backend: BACKEND_NAME },
      );
    }
    const frame: NativeExactFrame = {
      width: dct.width,
      height: dct.height,
      maxH: dct.maxH,
      maxV: dct.maxV,
      components: dct.components.map((c) => ({
        h: c.h,
        v: c.v,
        blocksPerRow: c.blocksPerRow,
        blockRows: c.blockRows,
        quant: c.quantTable,
        coefficients: c.coefficients,
      })),
    };
    return this.#addon!.decodeExact!(engine, frame, spec);
  }

  /**
   * Decodes in native batches that run on separate streams at once (#decodeChunks; exact mode: #exactChunks, with
   * what our decoder refuses read on the CPU). A failure takes its image's place.
   */
  async decodeBatch(
    items: readonly { bytes: Uint8Array; header: JpegHeader }[],
    options: ResolvedDecodeOptions,
  ): Promise<(HostImage | DeviceImage | JpegError)[]> {
    const results: (HostImage | DeviceImage | JpegError)[] = new Array(items.length);
    const chunks = this.#wasm
      ? this.#exactChunks(items.length)
      : this.#decodeChunks(items.map((item) => item.header));
    await Promise.all(
      chunks.map(async ({ indices, route }) => {
        const engine = this.#pick();
        const outs = indices.map((i) => this.#output(items[i]!.header, options));
        const specs = indices.map((i, k) => this.#spec(items[i]!.header, options, outs[k]));
        let outcomes: (NativeDecodeOutcome | Error)[];
        try {
          outcomes = await this.#counted(() =>
            engine.decodeBatch(
              indices.map((i) => items[i]!.bytes),
              specs,
              route,
            ),
          );
        } catch (error) {
          const failure = toJpegError(error);
          indices.forEach((i) => (results[i] = failure));
          return;
        }
        await Promise.all(
          indices.map(async (i, k) => {
            const item = items[i]!;
            try {
              let outcome = outcomes[k]!;
              if (outcome instanceof Error) {
                // Exact mode: what our GPU Huffman decoder refuses goes to the CPU reader.
                if (!this.#wasm || !kernelsRefused(outcome)) throw outcome;
                outcome = await this.#decodeExactCpu(engine, item.bytes, specs[k]!);
              }
              results[i] = this.#result(engine, outcome, item.header, options, outs[k]);
            } catch (error) {
              results[i] = toJpegError(error);
            }
          }),
        );
      }),
    );
    return results;
  }

  /**
   * Exact mode's native calls: our GPU Huffman decoder takes the whole batch (route 'kernels-only') in calls spread
   * over the streams; decodeBatch sends what it refuses (progressive, arithmetic …) to the CPU reader.
   */
  #exactChunks(count: number): NativeCall[] {
    const all = Array.from({ length: count }, (_, i) => i);
    return inCalls(all, Math.min(this.#batchChunk, Math.ceil(count / this.#streams)), {
      route: 'kernels-only',
    });
  }

  /**
   * Splits a batch into native calls. What the hardware decoder takes: all of it with decoder 'kernels' (a
   * `kernelShare` with 'mixed' and NVJPG engines, none with 'nvjpeg') to our GPU Huffman decoder in calls of up to
   * `batchChunk`, run on the SMs beside the engines, the rest to the engines in calls of up to `hardwareChunk`
   * (they are fed best by big batches). Everything else (decoded one by one within a call) in one chunk per
   * stream, at most `batchChunk` each, so the streams work on them at once. With several GPUs the
   * hardware-decodable images are shared out evenly, and the chunks go to the GPUs in turn.
   * (Sending a share to nvJPEG's own GPU Huffman decoder instead was measured on an H200 and made batches slower:
   * 3,559 → 2,430 1080p images/s with a fifth of them moved.)
   */
  #decodeChunks(headers: readonly JpegHeader[]): NativeCall[] {
    const hardware: number[] = [];
    const other: number[] = [];
    const nvjpegOnly = this.#decoder === 'hybrid';
    headers.forEach((header, i) => {
      if (!nvjpegOnly && hardwareCandidate(header)) hardware.push(i);
      else other.push(i);
    });
    const share = this.#batchShare(hardware.length);
    const kernels = hardware.splice(0, Math.round(share * hardware.length));
    const chunks: NativeCall[] = [];
    const split = (indices: number[], size: number, route: NativeDecodeOptions): void => {
      chunks.push(...inCalls(indices, size, route));
    };
    const engines: NativeDecodeOptions = { route: nvjpegOnly ? 'hybrid' : 'auto' };
    // What the engines do not take (4:1:1, progressive …): ours where it can, unless the decoder is nvJPEG's.
    const rest: NativeDecodeOptions =
      nvjpegOnly || this.#decoder === 'nvjpeg' ? engines : { route: 'kernels' };
    // Our kernels' share over the streams the engines' calls leave free.
    const kernelCalls = hardware.length > 0 ? Math.max(1, this.#streams - 1) : this.#streams;
    split(kernels, Math.min(this.#batchChunk, Math.ceil(kernels.length / kernelCalls)), {
      route: 'kernels',
    });
    split(
      hardware,
      Math.min(this.#hardwareChunk, Math.ceil(hardware.length / this.#engines.length)),
      engines,
    );
    // The rest: spread over every stream.
    split(other, Math.min(this.#batchChunk, Math.ceil(other.length / this.#streams)), rest);
    return chunks;
  }

  /** What the decoder setting means here, for caps.notes. */
  #decoderNote(): string {
    const ours =
      "baseline JPEGs on our own GPU Huffman decoder and exact kernels, progressive ones entropy-decoded on the CPU for the same kernels (pixels equal djpeg -dct int's)";
    switch (this.#decoder) {
      case 'nvjpeg':
        return 'decoder nvjpeg: baseline JPEGs on the hardware decoder when there is one, else nvJPEG hybrid';
      case 'mixed':
        return `decoder mixed: ${ours} for calls alone, and for ${Math.round(this.#kernelShare * 100)} % of the images under load beside the hardware decoder`;
      default:
        return `decoder kernels: ${ours}`;
    }
  }

  /** The share of a batch's hardware-decodable images our kernels take (see decoder). */
  #batchShare(count: number): number {
    switch (this.#decoder) {
      case 'kernels':
        return 1;
      case 'nvjpeg':
      case 'hybrid':
        return 0;
      default:
        if (!this.#hardwareDecoder || (count <= 1 && this.#inFlight === 0)) return 1;
        return this.#kernelShare;
    }
  }

  /**
   * Runs a native decode call (`weight` images) with the route the decoder setting gives it, counting it in
   * flight: with 'mixed', a call alone takes our kernels, and calls under load take them for `kernelShare` of
   * the images (credit carried between calls), the NVJPG engines the rest.
   */
  async #native<T>(
    weight: number,
    call: (route: NativeDecodeOptions) => Promise<T>,
    candidate = true,
  ): Promise<T> {
    let route: NativeDecodeOptions['route'];
    switch (this.#decoder) {
      case 'kernels':
        route = 'kernels';
        break;
      case 'nvjpeg':
        route = 'auto';
        break;
      case 'hybrid':
        route = 'hybrid';
        break;
      default:
        if (!candidate || !this.#hardwareDecoder || this.#inFlight === 0) {
          route = 'kernels';
        } else {
          this.#shareCredit += this.#kernelShare * weight;
          route = this.#shareCredit >= weight / 2 ? 'kernels' : 'auto';
          if (route === 'kernels') this.#shareCredit -= weight;
        }
    }
    return this.#counted(() => call({ route }));
  }

  async #counted<T>(call: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await call();
    } finally {
      this.#inFlight--;
    }
  }

  /**
   * Encodes with nvJPEG: quality, subsampling, optimised Huffman, progressive; ICC and EXIF are added after.
   * Restart intervals and arithmetic coding are not written by nvJPEG (E_UNSUPPORTED).
   */
  async encode(image: HostImage | DeviceImage, options: ResolvedEncodeOptions): Promise<Uint8Array> {
    const engine = this.#engineFor(image);
    checkEncodable(options);
    const input: Parameters<NativeEngine['encode']>[0] = nativeInput(image, 'encodes');
    let jpeg: Uint8Array;
    try {
      jpeg = await engine.encode(input, nativeEncodeOptions(options, this.#encoder));
    } catch (error) {
      throw toJpegError(error);
    }
    return insertMetadata(jpeg, options.icc, options.exif);
  }

  /**
   * Encodes many images with one set of options: in calls of up to 4 spread over the streams, each on one encode
   * slot with an nvJPEG encoder state per image and one wait for all (src/encode.cc). Results in input order,
   * failures in place.
   */
  async encodeBatch(
    images: readonly (HostImage | DeviceImage)[],
    options: ResolvedEncodeOptions,
  ): Promise<(Uint8Array | JpegError)[]> {
    checkEncodable(options);
    const results: (Uint8Array | JpegError)[] = new Array(images.length);
    const byEngine = new Map<NativeEngine, number[]>();
    images.forEach((image, index) => {
      try {
        const engine = this.#engineFor(image);
        const indices = byEngine.get(engine);
        if (indices) indices.push(index);
        else byEngine.set(engine, [index]);
      } catch (error) {
        results[index] = toJpegError(error);
      }
    });
    const native = nativeEncodeOptions(options, this.#encoder);
    const calls: Promise<void>[] = [];
    for (const [engine, indices] of byEngine) {
      // Small calls on many streams beat long calls with either encoder (H200, 1080p q90, batches of 16 and 128:
      // ours 7,430 / 7,519 images/s in calls of 2, 2,510 / 5,283 in calls of 16).
      const size = Math.min(this.#encodeCall, this.#batchChunk, Math.ceil(indices.length / this.#streams));
      for (const part of slices(indices, size)) {
        calls.push(
          (async () => {
            let outcomes: (Uint8Array | Error)[];
            try {
              outcomes = await engine.encodeBatch(
                part.map((i) => nativeInput(images[i]!, 'encodes')),
                native,
              );
            } catch {
              // A bad input (a released device image …) fails the call: image by image, it fails alone.
              outcomes = await Promise.all(
                part.map(async (i) => {
                  try {
                    return await engine.encode(nativeInput(images[i]!, 'encodes'), native);
                  } catch (error) {
                    return error instanceof Error ? error : new Error(String(error));
                  }
                }),
              );
            }
            part.forEach((index, k) => {
              const outcome = outcomes[k];
              results[index] =
                outcome instanceof Uint8Array
                  ? insertMetadata(outcome, options.icc, options.exif)
                  : toJpegError(outcome ?? new Error('the addon returned no result for this image'));
            });
          })(),
        );
      }
    }
    await Promise.all(calls);
    return results;
  }

  /**
   * Runs a pipeline on the GPU: a JPEG is decoded to the device (the decode path in use), every step runs as
   * CUDA kernels on device images (lib/ops-program.ts → src/ops.cc), and the result is encoded there by nvJPEG,
   * returned as a device image, or downloaded — so JPEG → JPEG moves only compressed bytes over PCIe. Host
   * images are uploaded once. Each step equals core's applyOp within ±1 per channel.
   */
  async run(plan: PipelinePlan): Promise<PlanResult> {
    const addon = this.#addon;
    if (typeof addon?.runOps !== 'function') {
      throw unsupported('this build of the native addon has no pixel ops (rebuild it: build:addon)');
    }
    if (plan.input.kind === 'jpeg' && plan.output.kind === 'jpeg' && this.#pipelines) {
      return this.#runFused(this.#pipelines, plan.input.bytes, plan.input.header, plan);
    }
    const temporaries: CudaImage[] = [];
    try {
      // 1. The input, on the device or as host pixels to upload.
      let input: Parameters<NonNullable<NativeAddon['runOps']>>[1];
      let source: { width: number; height: number; format: PixelFormat; orientation: Orientation };
      let engine: NativeEngine;
      let icc: Uint8Array | undefined;
      if (plan.input.kind === 'jpeg') {
        const { bytes, header } = plan.input;
        const options = planDecodeOptions(plan);
        const why = this.canDecode(header, options);
        if (why !== true) throw unsupported(why);
        const decoded = (await this.decode(bytes, header, options)) as CudaImage;
        temporaries.push(decoded);
        input = { image: decoded.handle };
        source = decoded;
        engine = this.#engineFor(decoded);
      } else {
        const image = plan.input.image;
        input = nativeInput(image, 'runs on');
        if (!isDeviceImage(image)) icc = image.icc;
        source = image;
        engine = this.#engineFor(image);
      }

      // 2. The steps (and the output format), as one op program.
      const steps: OpStep[] = [...plan.steps];
      let program = cachedOpsProgram(steps, source.width, source.height, source.format);
      if (plan.output.kind === 'image' && program.format !== plan.output.format) {
        steps.push({ op: 'convert', format: plan.output.format });
        program = cachedOpsProgram(steps, source.width, source.height, source.format);
      }
      const orientation: Orientation = steps.some((s) => s.op === 'orient') ? 1 : source.orientation;
      let handle;
      try {
        handle = await addon.runOps(engine, input, program.program);
      } catch (error) {
        throw toJpegError(error);
      }
      const result = this.#deviceImage(engine, handle, orientation);

      // 3. The output.
      if (plan.output.kind === 'jpeg') {
        temporaries.push(result);
        return await this.encode(result, plan.output.encode);
      }
      if (plan.output.location === 'device') return result;
      temporaries.push(result);
      const host = await result.download();
      if (icc !== undefined) host.icc = icc;
      return host;
    } finally {
      for (const image of temporaries) image.release();
    }
  }

  /**
   * JPEG → steps → JPEG in one native call (src/pipeline.cc), batched with the other pipelines started in the same
   * turn of the event loop: decoded pixels never leave the device and nothing returns to JS between the stages.
   */
  async #runFused(
    pipelines: PipelineBatcher<FusedJob, Uint8Array>,
    bytes: Uint8Array,
    header: JpegHeader,
    plan: PipelinePlan,
  ): Promise<Uint8Array> {
    const encode = (plan.output as { kind: 'jpeg'; encode: ResolvedEncodeOptions }).encode;
    const options = planDecodeOptions(plan);
    const why = this.canDecode(header, options);
    if (why !== true) throw unsupported(why);
    checkEncodable(encode);
    const { width, height } = decodedSize(header, options);
    const program = cachedOpsProgram(plan.steps, width, height, 'rgb').program;
    const nativeEncode = nativeEncodeOptions(encode, this.#encoder);
    let jpeg: Uint8Array;
    try {
      jpeg = await pipelines.add(JSON.stringify(nativeEncode), {
        bytes,
        spec: this.#spec(header, options),
        program,
        encode: nativeEncode,
      });
    } catch (error) {
      throw toJpegError(error);
    }
    return insertMetadata(jpeg, encode.icc, encode.exif);
  }

  /** Device facts from init (name, compute capability, memory), or undefined before it. */
  get device(): NativeDeviceFacts | undefined {
    return this.#device;
  }

  /** The device memory pool's counters (for leak tests and benchmarks). */
  stats(): NativePoolStats {
    const total: Record<string, number> = {};
    for (const engine of this.#engines) {
      for (const [key, value] of Object.entries(engine.stats())) {
        if (typeof value === 'number') total[key] = (total[key] ?? 0) + value;
      }
    }
    return total as NativePoolStats;
  }

  /** How many images each decoder took since init (hardware, kernels, hybrid …): what `decoder` did. */
  decodeRoutes(): Readonly<Partial<Record<DecodeRoute, number>>> {
    return { ...this.#routes };
  }

  /** How many GPUs this backend spreads work over. */
  get gpuCount(): number {
    return this.#engines.length;
  }

  /**
   * Which decoder takes what (CudaBackendOptions.decoder), or 'hybrid': nvJPEG without the hardware decoder
   * (to compare paths). Default 'kernels'.
   */
  setDecoder(decoder: 'kernels' | 'nvjpeg' | 'mixed' | 'hybrid'): void {
    this.#decoder = decoder;
  }

  /** Which encoder writes what it takes (CudaBackendOptions.encoder; to compare them). Default 'kernels'. */
  setEncoder(encoder: 'kernels' | 'nvjpeg'): void {
    this.#encoder = encoder;
  }

  async dispose(): Promise<void> {
    const engines = this.#engines;
    this.#engines = [];
    await this.#wasm?.dispose();
    this.#wasm = undefined;
    this.#pipelines = undefined;
    await Promise.all(engines.map((engine) => engine.dispose()));
  }
}

/** A new cuda backend (core discovers it through this export too). */
export function createBackend(): CudaBackend {
  return new CudaBackend();
}
