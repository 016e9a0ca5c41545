/**
 * The shape of build/jpegkit_cuda.node (src/addon.cc): what the TS layer calls. Every method that touches the
 * GPU returns a promise settled off the event loop; rejections are Errors with a jpegkit `code`.
 */
import type { PixelFormat } from '@jpegkit/core';

/** Bumped with src/addon.cc's kAddonAbi whenever this contract changes. */
export const ADDON_ABI = 3;

export interface NativeDeviceFacts {
  ordinal: number;
  count: number;
  name: string;
  computeCapability: string;
  major: number;
  minor: number;
  totalMemory: number;
  freeMemory: number;
  multiprocessors: number;
  driverVersion: string;
  runtimeVersion: string;
}

export interface NativeEngineOptions {
  device?: number;
  /** Decode slots (each a CUDA stream with its own nvJPEG states); as many encode slots. */
  streams?: number;
  /** Use the hardware JPEG decoder when the GPU has one. */
  hardware?: boolean;
  /** Free device memory kept in the pool for reuse, MiB. */
  poolKeepMiB?: number;
  /** Single baseline images above this many pixels use GPU Huffman decoding. */
  gpuHuffmanPixels?: number;
}

export interface NativeDecodeSpec {
  format: PixelFormat;
  /** EXIF orientation to apply (1 = keep the stored orientation). */
  orientation: number;
  /** Stored size from the header; the native side checks nvJPEG agrees before writing anything. */
  width: number;
  height: number;
  progressive: boolean;
  /** Baseline, one scan, a sampling the hardware decoder takes: worth asking nvJPEG about. */
  hardwareCandidate: boolean;
  location: 'host' | 'device';
  /** Host decodes: where the pixels go, and its row stride. */
  out?: Uint8Array;
  outStride?: number;
}

export interface NativeDecodeOptions {
  /**
   * 'auto': nvJPEG (hardware decoder, else hybrid); 'hybrid': nvJPEG without the hardware decoder (for
   * comparisons); 'kernels': jpegkit's own GPU Huffman decoder and exact kernels for what they take, nvJPEG for
   * the rest; 'kernels-only': the same, the rest failing with E_UNSUPPORTED (KERNELS_REFUSAL …).
   */
  route?: 'auto' | 'hybrid' | 'kernels' | 'kernels-only';
}

/** How 'kernels-only' refusals begin (src/decode-batch.cc): the image is not one our GPU Huffman decoder takes. */
export const KERNELS_REFUSAL = "not decoded by jpegkit's GPU Huffman decoder";

/**
 * 'kernels': our GPU Huffman decoder + exact kernels; 'exact': CPU entropy decoding + the exact kernels
 * (CudaBackendOptions.exact).
 */
export type DecodeRoute = 'hardware' | 'gpu-hybrid' | 'hybrid' | 'kernels' | 'exact';

export interface NativeDecodeOutcome {
  width: number;
  height: number;
  route: DecodeRoute;
  image?: NativeImageHandle;
}

export interface NativeImageHandle {
  readonly width: number;
  readonly height: number;
  readonly pitch: number;
  readonly format: PixelFormat;
  /** Device bytes held (the pool block's capacity); 0 once released. */
  readonly bytes: number;
  readonly released: boolean;
  download(out: Uint8Array, stride: number): Promise<void>;
  release(): void;
}

export interface NativeEncodeInput {
  data?: Uint8Array;
  width?: number;
  height?: number;
  stride?: number;
  format?: PixelFormat;
  image?: NativeImageHandle;
}

export interface NativeEncodeOptions {
  quality: number;
  subsampling: string;
  optimize: boolean;
  progressive: boolean;
  /** 'kernels': ours where they take the settings (baseline, standard tables, 4:4:4/4:2:2/4:2:0/gray). */
  encoder?: 'kernels' | 'nvjpeg';
}

export interface NativePoolStats {
  inUseBytes?: number;
  cachedBytes?: number;
  peakBytes?: number;
  allocations?: number;
  reuses?: number;
  frees?: number;
  /** Blocks decode slots keep between calls for our GPU Huffman decoder's working memory. */
  keptBytes?: number;
  deviceFreeBytes?: number;
  deviceTotalBytes?: number;
}

export interface NativeEngine {
  readonly hardwareDecoder: boolean;
  readonly hardwareEngines: number;
  readonly hardwareCoresPerEngine: number;
  decode(
    bytes: Uint8Array,
    spec: NativeDecodeSpec,
    options?: NativeDecodeOptions,
  ): Promise<NativeDecodeOutcome>;
  decodeBatch(
    list: readonly Uint8Array[],
    specs: readonly NativeDecodeSpec[],
    options?: NativeDecodeOptions,
  ): Promise<(NativeDecodeOutcome | Error)[]>;
  encode(input: NativeEncodeInput, options: NativeEncodeOptions): Promise<Uint8Array>;
  /** Several images on one encode slot (an nvJPEG encoder state each, one wait for all); errors in place. */
  encodeBatch(
    inputs: readonly NativeEncodeInput[],
    options: NativeEncodeOptions,
  ): Promise<(Uint8Array | Error)[]>;
  stats(): NativePoolStats;
  dispose(): Promise<void>;
}

/** One component of a frame for decodeExact: @jpegkit/wasm's readCoefficients layout. */
export interface NativeExactComponent {
  h: number;
  v: number;
  /** The stored block grid, padded to whole MCUs. */
  blocksPerRow: number;
  blockRows: number;
  /** 64 entries, natural order. */
  quant: Uint16Array;
  /** blocksPerRow × blockRows × 64 quantised coefficients, 64 per block in natural order. */
  coefficients: Int16Array;
}

export interface NativeExactFrame {
  width: number;
  height: number;
  maxH: number;
  maxV: number;
  /** 1 (gray) or 3 (YCbCr). */
  components: NativeExactComponent[];
}

export interface NativeAddon {
  abi: number;
  cudaRuntime: string;
  kernelTargets: string;
  nvjpegNotFound: string;
  probe(ordinal: number): Promise<NativeDeviceFacts>;
  loadNvjpeg(): Promise<{ path: string; version: string }>;
  createEngine(options: NativeEngineOptions): Promise<NativeEngine>;
  /**
   * Runs an op program (lib/ops-program.ts) on a device image, or on host pixels uploaded first, with the ops
   * kernels (src/ops.cc) on one of `engine`'s streams; resolves with a new device image. Absent from addons built
   * before the ops kernels.
   */
  runOps?(engine: NativeEngine, input: NativeEncodeInput, program: Float64Array): Promise<NativeImageHandle>;
  /**
   * A fused pipeline over a list of JPEGs (src/pipeline.cc): decode on the device (`specs` with location
   * 'device', one format), each image's op program, nvJPEG encode — in one native call on one stream. Results in
   * input order, failures in place. Absent from addons built before it.
   */
  runPipelineBatch?(
    engine: NativeEngine,
    list: Uint8Array[],
    specs: NativeDecodeSpec[],
    programs: Float64Array[],
    encode: NativeEncodeOptions,
    options?: NativeDecodeOptions,
  ): Promise<(Uint8Array | Error)[]>;
  /**
   * The exact decode path (src/exact.cc): dequantisation, libjpeg's islow IDCT, fancy upsampling and YCbCr →
   * RGB on `engine`'s GPU, bit-exact with djpeg -dct int. `spec` as for decode (progressive and
   * hardwareCandidate are ignored). Absent from addons built before it.
   */
  decodeExact?(
    engine: NativeEngine,
    frame: NativeExactFrame,
    spec: NativeDecodeSpec,
  ): Promise<NativeDecodeOutcome>;
}
