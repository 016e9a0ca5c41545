import { checkBoolean, checkObject, checkOneOf, invalidArgument } from './args.js';
import type { PipelinePlan, PlanResult } from './backend.js';
import { PIXEL_FORMATS } from './image.js';
import type { DeviceImage, HostImage, PixelFormat } from './image.js';
import {
  checkCrop,
  checkOrientation,
  resolveAdjustStep,
  resolveEncodeOptions,
  resolveResizeStep,
  resolveSharpenStep,
} from './options.js';
import type { EncodeOptions } from './options.js';
import type { AdjustOptions, CropRect, OpStep, ResizeOptions, SharpenOptions } from './pipeline.js';

type Source = Uint8Array | HostImage | DeviceImage;
type Runner = (draft: Omit<PipelinePlan, 'input'> & { source: Source }) => Promise<PlanResult>;

/**
 * A chain of pixel operations, checked as it is built (bad arguments throw at once) and run as one plan.
 * JPEG input is auto-oriented from EXIF unless `.orient(false)` is called.
 *
 * @example
 * ```ts
 * const out = await codec.pipeline(bytes).resize({ width: 1280, height: 720, fit: 'inside' })
 *   .sharpen({ sigma: 0.95 }).toJpeg({ quality: 90 });
 * ```
 */
export class Pipeline {
  readonly #source: Source;
  readonly #runner: Runner;
  readonly #steps: OpStep[] = [];
  #orient = true;
  #shrinkOnLoad = false;

  /** @internal Use `codec.pipeline()`. */
  constructor(source: Source, runner: Runner) {
    this.#source = source;
    this.#runner = runner;
  }

  /** The steps so far, with every option resolved. */
  get steps(): readonly OpStep[] {
    return this.#steps;
  }

  #add(step: OpStep): this {
    this.#steps.push(step);
    return this;
  }

  /**
   * Lets the backend decode a JPEG input at a reduced DCT scale when the first step is a resize that shrinks
   * (libjpeg's scaled IDCT, as sharp's fastShrinkOnLoad): much faster thumbnails, but the pixels differ from a
   * full-size decode by a few levels and from backends that decode at full size. Off by default, so every backend
   * gives the same pixels.
   */
  shrinkOnLoad(enabled = true): this {
    this.#shrinkOnLoad = checkBoolean(enabled, 'shrinkOnLoad');
    return this;
  }

  /** Turns EXIF auto-orientation of the JPEG input on (the default) or off. */
  orient(enabled: boolean): this {
    this.#orient = checkBoolean(enabled, 'orient');
    return this;
  }

  resize(options: ResizeOptions): this {
    return this.#add(resolveResizeStep(options));
  }

  sharpen(options: SharpenOptions): this {
    return this.#add(resolveSharpenStep(options));
  }

  crop(rect: CropRect): this {
    return this.#add({ op: 'crop', ...checkCrop(rect) });
  }

  /** Rotates clockwise. */
  rotate(angle: 90 | 180 | 270): this {
    return this.#add({ op: 'rotate', angle: checkOneOf(angle, 'angle', [90, 180, 270] as const) });
  }

  /** Mirrors top to bottom. */
  flip(): this {
    return this.#add({ op: 'flip' });
  }

  /** Mirrors left to right. */
  flop(): this {
    return this.#add({ op: 'flop' });
  }

  /** Applies an EXIF orientation to the pixels (for images whose orientation is known out of band). */
  applyOrientation(orientation: number): this {
    return this.#add({ op: 'orient', orientation: checkOrientation(orientation) });
  }

  adjust(options: AdjustOptions): this {
    return this.#add(resolveAdjustStep(options));
  }

  /** Ends the chain with JPEG bytes. */
  toJpeg(options: EncodeOptions = {}): Promise<Uint8Array> {
    const encode = resolveEncodeOptions(options);
    return this.#runner({
      source: this.#source,
      orient: this.#orient,
      shrinkOnLoad: this.#shrinkOnLoad,
      steps: [...this.#steps],
      output: { kind: 'jpeg', encode },
    }).then((r) => {
      if (!(r instanceof Uint8Array)) throw invalidArgument('JPEG bytes', 'pipeline result', r);
      return r;
    });
  }

  /** Ends the chain with pixels, on the host (default) or left on the device. */
  toImage(
    options: { format?: PixelFormat; location?: 'host' | 'device' } = {},
  ): Promise<HostImage | DeviceImage> {
    const o = checkObject(options, 'options');
    const format = o.format === undefined ? 'rgb' : checkOneOf(o.format, 'format', PIXEL_FORMATS);
    const location =
      o.location === undefined ? 'host' : checkOneOf(o.location, 'location', ['host', 'device'] as const);
    return this.#runner({
      source: this.#source,
      orient: this.#orient,
      shrinkOnLoad: this.#shrinkOnLoad,
      steps: [...this.#steps],
      output: { kind: 'image', format, location },
    }).then((r) => {
      if (r instanceof Uint8Array) throw invalidArgument('an image', 'pipeline result', r);
      return r;
    });
  }
}
