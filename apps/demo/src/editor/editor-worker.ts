/**
 * The editor's engine, in a dedicated Worker so that decoding, every edit and encoding run off the page's
 * thread. It keeps the decoded original and the current image; undo replays the remaining edits from the
 * original in one pipeline, redo applies one edit to the current image. The page only ever receives a
 * screen-sized ImageBitmap (transferred), and the exported JPEG's bytes.
 */
import { createCodec, inspect, isDeviceImage } from '@jpegkit/core';
import type { Codec, HostImage, JpegHeader } from '@jpegkit/core';
import { reportBackends } from '../shared/backend-report.js';
import { installBackendImporter } from '../shared/backend-importer.js';
import { serveRpc } from '../shared/worker-rpc.js';
import { addEditStep, describeEditStep } from './edit-steps.js';
import type { EditStep } from './edit-steps.js';
import { headerFacts } from './header-facts.js';
import { EditHistory } from './history.js';
import type { EditorApi, EditorView, ExportOptions, ExportResult, OpenedImage, Timing } from './protocol.js';

/** Longest side of the bitmap sent to the page: enough for a large screen at 2× pixel density. */
const VIEW_MAX_SIDE = 2048;
/** The wasm backend runs on this worker's own thread: one worker per page is already off the UI thread. */
const INIT = { threads: 0 };

installBackendImporter();

const codecs = new Map<string, Promise<Codec>>();
const history = new EditHistory();
let backendName = 'wasm';
let source: { bytes: Uint8Array; header: JpegHeader } | undefined;
let original: HostImage | undefined;
let current: HostImage | undefined;

/**
 * The codec for the chosen backend, with wasm behind it: core runs each job on the chosen backend when it can,
 * and what it cannot do (an op it lacks, encoding) on wasm. Every timing names the backend that did the work.
 */
function codecFor(name: string): Promise<Codec> {
  let codec = codecs.get(name);
  if (!codec) {
    codec = createCodec({ backends: name === 'wasm' ? ['wasm'] : [name, 'wasm'], strict: true, init: INIT });
    codec.catch(() => codecs.delete(name));
    codecs.set(name, codec);
  }
  return codec;
}

/** Runs and times one piece of work; the backend is the one the result names (images are tagged by core). */
async function timed<T>(label: string, work: () => Promise<T>, ranOn?: string): Promise<[T, Timing]> {
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  const tagged = (value as { backend?: unknown } | null)?.backend;
  return [value, { label, ms, backend: typeof tagged === 'string' ? tagged : (ranOn ?? backendName) }];
}

function hostImage(result: unknown): HostImage {
  if (isDeviceImage(result)) throw new Error('expected pixels on the host');
  return result as HostImage;
}

/** A screen-sized RGBA bitmap of an image, resampled by the backend (area average when shrinking). */
async function viewOf(codec: Codec, image: HostImage): Promise<{ bitmap: ImageBitmap; backend?: string }> {
  const shrink = Math.min(1, VIEW_MAX_SIDE / Math.max(image.width, image.height));
  let pipeline = codec.pipeline(image);
  if (shrink < 1) {
    pipeline = pipeline.resize({
      width: Math.max(1, Math.round(image.width * shrink)),
      height: Math.max(1, Math.round(image.height * shrink)),
      fit: 'fill',
      filter: 'box',
    });
  }
  const rgba = hostImage(await pipeline.toImage({ format: 'rgba' }));
  const rowBytes = rgba.width * 4;
  let pixels = rgba.data;
  if (rgba.stride !== rowBytes) {
    pixels = new Uint8Array(rowBytes * rgba.height);
    for (let y = 0; y < rgba.height; y++) {
      pixels.set(rgba.data.subarray(y * rgba.stride, y * rgba.stride + rowBytes), y * rowBytes);
    }
  }
  const clamped = new Uint8ClampedArray(
    pixels.buffer as ArrayBuffer,
    pixels.byteOffset,
    rowBytes * rgba.height,
  );
  const bitmap = await createImageBitmap(new ImageData(clamped, rgba.width, rgba.height));
  return rgba.backend === undefined ? { bitmap } : { bitmap, backend: rgba.backend };
}

async function view(codec: Codec, timings: Timing[]): Promise<EditorView> {
  if (!current) throw new Error('no image is open');
  const image = current;
  const [{ bitmap }, viewTiming] = await timed('screen preview', () => viewOf(codec, image));
  return {
    width: image.width,
    height: image.height,
    bitmap,
    steps: history.steps.map(describeEditStep),
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    timings: [...timings, viewTiming],
    backend: backendName,
  };
}

/** Decodes the source upright (EXIF orientation applied) with the current backend. */
async function decodeOriginal(codec: Codec): Promise<Timing> {
  if (!source) throw new Error('no image is open');
  const bytes = source.bytes;
  const [image, timing] = await timed('decode (auto-oriented)', async () =>
    hostImage(await codec.decode(bytes, { format: 'rgb', orient: true })),
  );
  original = image;
  return timing;
}

/** Rebuilds the current image from the original by running every remaining edit in one pipeline. */
async function replay(codec: Codec, label: string): Promise<Timing> {
  if (!original) throw new Error('no image is open');
  const base = original;
  if (history.steps.length === 0) {
    current = base;
    return { label, ms: 0, backend: backendName };
  }
  const [image, timing] = await timed(label, async () => {
    const pipeline = codec.pipeline(base);
    for (const step of history.steps) addEditStep(pipeline, step);
    return hostImage(await pipeline.toImage({ format: 'rgb' }));
  });
  current = image;
  return timing;
}

async function applyStep(codec: Codec, step: EditStep): Promise<Timing> {
  if (!current) throw new Error('no image is open');
  const image = current;
  const [next, timing] = await timed(describeEditStep(step), async () =>
    hostImage(await addEditStep(codec.pipeline(image), step).toImage({ format: 'rgb' })),
  );
  current = next;
  return timing;
}

const api: EditorApi = {
  async backends() {
    return reportBackends(INIT);
  },

  async open({ bytes, backend }): Promise<OpenedImage> {
    const codec = await codecFor(backend);
    backendName = backend;
    const [header, inspectTiming] = await timed('inspect (header facts)', async () => inspect(bytes), 'core');
    source = { bytes, header };
    history.clear();
    const decodeTiming = await decodeOriginal(codec);
    current = original;
    const opened = await view(codec, [inspectTiming, decodeTiming]);
    return { ...opened, facts: headerFacts(header, bytes.length) };
  },

  async apply({ step }) {
    const codec = await codecFor(backendName);
    const timing = await applyStep(codec, step);
    history.push(step);
    return view(codec, [timing]);
  },

  async undo() {
    const codec = await codecFor(backendName);
    const step = history.undo();
    const label = step
      ? `undo ${describeEditStep(step)} (replays ${history.steps.length} edit${history.steps.length === 1 ? '' : 's'})`
      : 'undo (nothing to undo)';
    return view(codec, [await replay(codec, label)]);
  },

  async redo() {
    const codec = await codecFor(backendName);
    const step = history.redo();
    if (!step) return view(codec, []);
    try {
      return view(codec, [await applyStep(codec, step)]);
    } catch (error) {
      history.undo();
      throw error;
    }
  },

  async useBackend({ backend }) {
    const codec = await codecFor(backend);
    backendName = backend;
    if (!source) return undefined;
    // The whole edit is redone on the new backend, so its timings are that backend's own.
    const decodeTiming = await decodeOriginal(codec);
    const replayTiming = await replay(codec, `replay ${history.steps.length} edits`);
    return view(codec, [decodeTiming, replayTiming]);
  },

  async export(options: ExportOptions): Promise<ExportResult> {
    if (!current || !source) throw new Error('no image is open');
    const codec = await codecFor(backendName);
    const image = current;
    const icc = source.header.icc;
    // Core encodes on the best backend in use that can; JPEG bytes carry no tag, so name it from the caps.
    const encoder = codec.available.find((a) => a.caps.encode)?.name;
    const [jpeg, timing] = await timed(
      `encode q${options.quality ?? 90} ${options.subsampling ?? '4:2:0'}${options.progressive ? ' progressive' : ''}`,
      () => codec.encode(image, icc ? { ...options, icc } : options),
      encoder,
    );
    return { jpeg, width: image.width, height: image.height, timing };
  },
};

serveRpc(api);
