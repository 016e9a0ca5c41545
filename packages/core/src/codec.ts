import { checkBytes, checkInteger, checkObject, invalidArgument } from './args.js';
import { KNOWN_BACKENDS } from './backend.js';
import type {
  Backend,
  BackendCaps,
  BackendInitOptions,
  BackendName,
  PipelinePlan,
  PlanResult,
  ResolvedDecodeOptions,
} from './backend.js';
import { JpegError, isJpegError } from './errors.js';
import type { JpegHeader } from './header.js';
import { checkIntoCapacity } from './geometry.js';
import { checkHostImage, isDeviceImage } from './image.js';
import type { DeviceImage, HostImage } from './image.js';
import { inspect } from './inspect.js';
import { DEFAULT_MAX_PIXELS, resolveDecodeOptions, resolveEncodeOptions } from './options.js';
import type { DecodeOptions, EncodeOptions } from './options.js';
import { Pipeline } from './pipeline-builder.js';
import { resolveTransformOptions } from './transform.js';
import type { TransformOptions } from './transform.js';
import {
  defaultPriority,
  initBackend,
  loadBackend,
  registeredBackends,
  releaseBackend,
  resetBackend,
  retainBackend,
} from './registry.js';

export interface CodecOptions {
  /** Backends to consider (any order; the highest priority available one wins). Default: every shipped and
   * registered backend, or the one named by the JPEGKIT_BACKEND environment variable. */
  backends?: BackendName[];
  /** Reject when any requested backend is unavailable instead of skipping it. Default false. */
  strict?: boolean;
  /** Largest width × height accepted, checked from the header before anything is allocated. */
  maxPixels?: number;
  /** Handed to every backend's `init`. */
  init?: BackendInitOptions;
}

/** Why a backend is not in use. */
export interface SkippedBackend {
  backend: BackendName;
  error: JpegError;
}

/** A decode result: a host image, or a device image when `location: 'device'` was asked for. */
export type DecodeResult = HostImage | DeviceImage;

function envBackends(): BackendName[] | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.JPEGKIT_BACKEND?.trim();
  if (!value) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function reasonsList(skipped: readonly { backend: string; error: { message: string } }[]): string {
  return skipped.map((s) => `${s.backend}: ${s.error.message}`).join('; ');
}

/**
 * Creates a codec over the best backend available here, initialising the candidates in priority order
 * (cuda 30, webgpu 20, wasm 10) and recording why the others were skipped.
 *
 * @example
 * ```ts
 * const codec = await createCodec();            // or { backends: ['wasm'], strict: true }
 * console.log(codec.backend, codec.skipped);     // 'wasm', [{ backend: 'cuda', error: … }]
 * const img = await codec.decode(bytes, { format: 'rgba' });
 * ```
 */
export function createCodec(options: CodecOptions = {}): Promise<Codec> {
  const o = checkObject(options, 'options');
  const maxPixels =
    o.maxPixels === undefined
      ? DEFAULT_MAX_PIXELS
      : checkInteger(o.maxPixels, 'maxPixels', 1, Number.MAX_SAFE_INTEGER);
  if (o.backends !== undefined && (!Array.isArray(o.backends) || o.backends.length === 0)) {
    throw invalidArgument('a non-empty array of backend names', 'backends', o.backends);
  }
  const requested = (o.backends as BackendName[] | undefined) ?? envBackends();
  const strict = o.strict === true;
  const names = [...new Set(requested ?? [...KNOWN_BACKENDS, ...registeredBackends()])];
  return openCodec(names, strict, maxPixels, (o.init as BackendInitOptions | undefined) ?? {});
}

async function openCodec(
  names: BackendName[],
  strict: boolean,
  maxPixels: number,
  init: BackendInitOptions,
): Promise<Codec> {
  const loaded = await Promise.all(
    names.map(async (name) => {
      try {
        const backend = await loadBackend(name);
        const caps = await initBackend(backend, init);
        return { name, backend, caps };
      } catch (cause) {
        const error = isJpegError(cause)
          ? cause
          : new JpegError('E_BACKEND_INIT', String(cause), { backend: name, cause });
        return { name, error };
      }
    }),
  );
  const ready: { backend: Backend; caps: BackendCaps }[] = [];
  const skipped: SkippedBackend[] = [];
  for (const r of loaded) {
    if ('error' in r && r.error) skipped.push({ backend: r.name, error: r.error });
    else if ('backend' in r) ready.push({ backend: r.backend, caps: r.caps });
  }
  ready.sort((a, b) => b.backend.priority - a.backend.priority);
  skipped.sort((a, b) => defaultPriority(b.backend) - defaultPriority(a.backend));

  if (ready.length === 0 || (strict && skipped.length > 0)) {
    const why =
      strict && ready.length > 0 ? 'a requested backend is unavailable (strict)' : 'no backend is available';
    throw new JpegError('E_NO_BACKEND', `${why}: ${reasonsList(skipped)}`, { cause: skipped });
  }
  for (const r of ready) retainBackend(r.backend);
  return new Codec(ready, skipped, maxPixels);
}

/**
 * Decodes, encodes and transforms JPEGs on the backends chosen by `createCodec`. Images a backend refuses
 * (its `canDecode` gives a reason) go to the next one; every result says which backend produced it.
 */
export class Codec {
  /** The highest-priority backend in use. */
  readonly backend: BackendName;
  /** Backends not in use, each with its reason. */
  readonly skipped: readonly SkippedBackend[];
  /** Every backend in use, best first, with its capabilities. */
  readonly available: readonly { name: BackendName; caps: BackendCaps }[];
  readonly maxPixels: number;
  readonly #ready: readonly { backend: Backend; caps: BackendCaps }[];
  #disposed = false;

  /** @internal Use `createCodec`. */
  constructor(
    ready: { backend: Backend; caps: BackendCaps }[],
    skipped: SkippedBackend[],
    maxPixels: number,
  ) {
    this.#ready = ready;
    this.backend = ready[0]!.backend.name;
    this.skipped = skipped;
    this.available = ready.map((r) => ({ name: r.backend.name, caps: r.caps }));
    this.maxPixels = maxPixels;
  }

  #checkOpen(): void {
    if (this.#disposed) throw new JpegError('E_INVALID_ARGUMENT', 'this codec has been disposed');
  }

  /** Reads the header and applies the pixel limit, before any backend allocates anything. */
  #header(bytes: Uint8Array): JpegHeader {
    // Routing needs only what precedes the first scan; walking every scan would cost more than some decodes.
    const header = inspect(bytes, { headerOnly: true });
    const pixels = header.width * header.height;
    if (pixels > this.maxPixels) {
      throw new JpegError(
        'E_TOO_LARGE',
        `image is ${header.width}×${header.height} = ${pixels} pixels, over the limit of ${this.maxPixels} (maxPixels)`,
      );
    }
    return header;
  }

  /** Backends willing to decode this image, best first; a JpegError listing every refusal if none is. */
  #candidates(
    header: JpegHeader,
    options: ResolvedDecodeOptions,
    need?: (b: Backend) => true | string,
  ): Backend[] {
    const accepted: Backend[] = [];
    const refusals: { backend: string; error: { message: string } }[] = [];
    for (const { backend } of this.#ready) {
      let verdict = backend.canDecode(header, options);
      if (verdict === true && need) verdict = need(backend);
      if (verdict === true) accepted.push(backend);
      else refusals.push({ backend: backend.name, error: { message: verdict } });
    }
    if (accepted.length === 0) {
      throw new JpegError('E_UNSUPPORTED', `no backend can handle this image: ${reasonsList(refusals)}`);
    }
    return accepted;
  }

  /** Runs `attempt` on each candidate in turn while one loses its device or finds the job unsupported. */
  async #withFallback<T>(candidates: Backend[], attempt: (b: Backend) => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (const backend of candidates) {
      try {
        return await attempt(backend);
      } catch (cause) {
        // A lost device, or an image the backend found it cannot handle only once it tried, goes to the next.
        if (isJpegError(cause) && (cause.code === 'E_DEVICE_LOST' || cause.code === 'E_UNSUPPORTED')) {
          if (cause.code === 'E_DEVICE_LOST') resetBackend(backend.name);
          lastError = tagError(cause, backend.name);
          continue;
        }
        throw tagError(cause, backend.name);
      }
    }
    throw tagError(lastError, candidates[candidates.length - 1]?.name);
  }

  /**
   * Decodes one JPEG. Argument errors throw synchronously; everything else rejects with a JpegError.
   *
   * @example
   * ```ts
   * const img = await codec.decode(bytes, { format: 'rgba', scale: 0.5 });
   * img.backend; // 'wasm'
   * ```
   */
  decode(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodeResult> {
    this.#checkOpen();
    checkBytes(bytes, 'bytes');
    const resolved = resolveDecodeOptions(options);
    return (async () => {
      const header = this.#header(bytes);
      checkIntoCapacity(header, resolved);
      const need = (b: Backend): true | string =>
        resolved.location === 'device' && !this.#caps(b).deviceImages ? 'keeps no images on a device' : true;
      const candidates = this.#candidates(header, resolved, need);
      return this.#withFallback(candidates, async (backend) =>
        tagResult(await backend.decode(bytes, header, resolved), backend.name),
      );
    })();
  }

  /**
   * Decodes many JPEGs; a failure takes the place of its image instead of rejecting the batch.
   *
   * @example
   * ```ts
   * const results = await codec.decodeBatch(files);
   * const broken = results.filter((r) => r instanceof JpegError);
   * ```
   */
  decodeBatch(
    list: readonly Uint8Array[],
    options: DecodeOptions = {},
  ): Promise<(DecodeResult | JpegError)[]> {
    this.#checkOpen();
    if (!Array.isArray(list)) throw invalidArgument('an array of Uint8Array', 'list', list);
    list.forEach((b, i) => checkBytes(b, `list[${i}]`));
    const resolved = resolveDecodeOptions(options);
    if (resolved.into)
      throw invalidArgument('no into option (one buffer cannot hold a batch)', 'into', resolved.into);
    return (async () => {
      const results: (DecodeResult | JpegError)[] = new Array(list.length);
      const groups = new Map<Backend, { index: number; bytes: Uint8Array; header: JpegHeader }[]>();
      list.forEach((bytes, index) => {
        try {
          const header = this.#header(bytes);
          const backend = this.#candidates(header, resolved)[0]!;
          const group = groups.get(backend) ?? [];
          group.push({ index, bytes, header });
          groups.set(backend, group);
        } catch (cause) {
          results[index] = tagError(cause, undefined);
        }
      });
      await Promise.all(
        [...groups].map(async ([backend, group]) => {
          const outcomes = backend.decodeBatch
            ? await backend
                .decodeBatch(group, resolved)
                .catch((cause: unknown) => group.map(() => tagError(cause, backend.name)))
            : await Promise.all(
                group.map((g) =>
                  backend
                    .decode(g.bytes, g.header, resolved)
                    .catch((cause: unknown) => tagError(cause, backend.name)),
                ),
              );
          group.forEach((g, i) => {
            const outcome = outcomes[i];
            results[g.index] =
              outcome === undefined
                ? noResult(backend.name)
                : isJpegError(outcome)
                  ? outcome
                  : tagResult(outcome, backend.name);
          });
        }),
      );
      return results;
    })();
  }

  /**
   * Encodes a host or device image as JPEG.
   *
   * @example
   * ```ts
   * const jpeg = await codec.encode(img, { quality: 85, subsampling: '4:4:4', progressive: true });
   * ```
   */
  encode(image: HostImage | DeviceImage, options: EncodeOptions = {}): Promise<Uint8Array> {
    this.#checkOpen();
    if (!isDeviceImage(image)) checkHostImage(image, 'image');
    const resolved = resolveEncodeOptions(options);
    return (async () => {
      const able = this.#encoders(image);
      if (able.length === 0) throw this.#noEncoder();
      return this.#withFallback(able, (backend) => backend.encode!(image, resolved));
    })();
  }

  /** Backends that can encode `image`, best first (a device image: only its own). */
  #encoders(image: HostImage | DeviceImage): Backend[] {
    return this.#ready
      .filter(
        (r) =>
          r.backend.encode && r.caps.encode && (!isDeviceImage(image) || image.backend === r.backend.name),
      )
      .map((r) => r.backend);
  }

  #noEncoder(): JpegError {
    return new JpegError(
      'E_UNSUPPORTED',
      `no backend in use can encode this image (in use: ${this.available.map((a) => a.name).join(', ')})`,
    );
  }

  /**
   * Encodes many images with one set of options; a failure takes the place of its image instead of rejecting
   * the batch. Images go to the first backend that encodes them (a device image to its own), as one batched call
   * where the backend has one; an image that backend refuses (E_UNSUPPORTED) or loses (E_DEVICE_LOST) is tried
   * on the next, as `encode` does.
   *
   * @example
   * ```ts
   * const jpegs = await codec.encodeBatch(images, { quality: 85 });
   * const failed = jpegs.filter((r) => r instanceof JpegError);
   * ```
   */
  encodeBatch(
    images: readonly (HostImage | DeviceImage)[],
    options: EncodeOptions = {},
  ): Promise<(Uint8Array | JpegError)[]> {
    this.#checkOpen();
    if (!Array.isArray(images)) throw invalidArgument('an array of images', 'images', images);
    images.forEach((image, i) => {
      if (!isDeviceImage(image)) checkHostImage(image, `images[${i}]`);
    });
    const resolved = resolveEncodeOptions(options);
    return (async () => {
      const results: (Uint8Array | JpegError)[] = new Array(images.length);
      const groups = new Map<Backend, number[]>();
      const able = images.map((image) => this.#encoders(image));
      images.forEach((_image, index) => {
        const first = able[index]![0];
        if (!first) {
          results[index] = this.#noEncoder();
          return;
        }
        const group = groups.get(first);
        if (group) group.push(index);
        else groups.set(first, [index]);
      });
      await Promise.all(
        [...groups].map(async ([backend, indices]) => {
          const group = indices.map((i) => images[i]!);
          const outcomes: (Uint8Array | JpegError)[] = backend.encodeBatch
            ? await backend
                .encodeBatch(group, resolved)
                .catch((cause: unknown) => group.map(() => tagError(cause, backend.name)))
            : await Promise.all(
                group.map((image) =>
                  backend.encode!(image, resolved).catch((cause: unknown) => tagError(cause, backend.name)),
                ),
              );
          await Promise.all(
            indices.map(async (index, k) => {
              const outcome = outcomes[k];
              if (outcome instanceof Uint8Array) {
                results[index] = outcome;
                return;
              }
              // The batch's failure stands for this backend's attempt; refused or lost goes on to the next
              // backends, by encode's own rule.
              const failure = outcome ?? noResult(backend.name);
              results[index] = await this.#withFallback(able[index]!, (b) =>
                b === backend ? Promise.reject(failure) : b.encode!(images[index]!, resolved),
              ).catch((cause: unknown) => tagError(cause, undefined));
            }),
          );
        }),
      );
      return results;
    })();
  }

  /**
   * Starts a chain of pixel operations over a JPEG (auto-oriented by default) or an image, run in one
   * backend call when it ends with `toJpeg` or `toImage`.
   *
   * @example
   * ```ts
   * const thumb = await codec.pipeline(bytes).resize({ width: 320 }).sharpen({ sigma: 0.95 }).toJpeg({ quality: 85 });
   * ```
   */
  pipeline(input: Uint8Array | HostImage | DeviceImage): Pipeline {
    this.#checkOpen();
    if (!(input instanceof Uint8Array) && !isDeviceImage(input)) checkHostImage(input, 'input');
    return new Pipeline(input, (plan) => this.#run(plan));
  }

  #caps(backend: Backend): BackendCaps {
    return this.#ready.find((r) => r.backend === backend)!.caps;
  }

  async #run(
    draft: Omit<PipelinePlan, 'input'> & { source: Uint8Array | HostImage | DeviceImage },
  ): Promise<PlanResult> {
    const { source, ...rest } = draft;
    const needOps = (b: Backend): true | string => {
      if (!b.run) return 'runs no pipelines';
      const caps = this.#caps(b);
      const missing = rest.steps.map((s) => s.op).filter((op) => !caps.ops.includes(op));
      if (missing.length > 0) return `lacks ${[...new Set(missing)].join(', ')}`;
      if (rest.output.kind === 'jpeg' && !caps.encode) return 'cannot encode';
      if (rest.output.kind === 'image' && rest.output.location === 'device' && !caps.deviceImages) {
        return 'keeps no images on a device';
      }
      return true;
    };
    let candidates: Backend[];
    let plan: PipelinePlan;
    if (source instanceof Uint8Array) {
      const header = this.#header(source);
      const decodeView: ResolvedDecodeOptions = {
        format: 'rgb',
        scale: 1,
        orient: rest.orient,
        location: 'host',
        partial: false,
      };
      candidates = this.#candidates(header, decodeView, needOps);
      plan = { ...rest, input: { kind: 'jpeg', bytes: source, header } };
    } else {
      const owner = isDeviceImage(source) ? source.backend : undefined;
      const able = this.#ready.filter(
        (r) => (owner === undefined || r.backend.name === owner) && needOps(r.backend) === true,
      );
      if (able.length === 0) {
        const reasons = this.#ready.map((r) => ({
          backend: r.backend.name,
          error: { message: String(needOps(r.backend)) },
        }));
        throw new JpegError('E_UNSUPPORTED', `no backend can run this pipeline: ${reasonsList(reasons)}`);
      }
      candidates = able.map((r) => r.backend);
      plan = { ...rest, input: { kind: 'image', image: source } };
    }
    return this.#withFallback(candidates, async (backend) => {
      const result = await backend.run!(plan);
      return result instanceof Uint8Array ? result : tagResult(result, backend.name);
    });
  }

  /**
   * Transforms a JPEG losslessly in the DCT domain (rotate, flip, crop, gray, progressive ↔ baseline, restart
   * markers, metadata) without decoding it.
   *
   * @example
   * ```ts
   * const upright = await codec.transform(bytes, { rotate: 90, restartInterval: 4, metadata: 'icc' });
   * ```
   */
  transform(bytes: Uint8Array, options: TransformOptions = {}): Promise<Uint8Array> {
    this.#checkOpen();
    checkBytes(bytes, 'bytes');
    const resolved = resolveTransformOptions(options);
    return (async () => {
      const header = this.#header(bytes);
      const view: ResolvedDecodeOptions = {
        format: 'rgb',
        scale: 1,
        orient: false,
        location: 'host',
        partial: false,
      };
      const need = (b: Backend): true | string =>
        b.transform && this.#caps(b).transform ? true : 'has no lossless transforms';
      const candidates = this.#candidates(header, view, need);
      return this.#withFallback(candidates, (backend) => backend.transform!(bytes, header, resolved));
    })();
  }

  /** Releases this codec's hold on its backends; a backend no codec uses any more is disposed. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await Promise.all(this.#ready.map((r) => releaseBackend(r.backend)));
  }
}

function tagResult<T extends HostImage | DeviceImage>(result: T, backend: string): T {
  if (!isDeviceImage(result) && result.backend === undefined) (result as HostImage).backend = backend;
  return result;
}

/** Any failure as a JpegError that names the backend it came from. */
/** What stands in a batch for an image the backend returned nothing for. */
function noResult(backend: string): JpegError {
  return new JpegError('E_CORRUPT', 'the backend returned no result for this image', { backend });
}

function tagError(cause: unknown, backend: string | undefined): JpegError {
  if (isJpegError(cause)) {
    return cause.backend !== undefined || backend === undefined
      ? cause
      : new JpegError(cause.code, cause.message, { backend, cause: cause.cause });
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return new JpegError('E_CORRUPT', `unexpected failure: ${message}`, { backend, cause });
}
