/**
 * Dragging a crop box over the displayed picture. The box is kept in image pixels (the picture on screen is
 * usually scaled), clamped to the image, and drawn back over the canvas whenever it or the layout changes.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The rectangle spanned by two points, in image pixels, clamped to the image and at least 1×1. */
export function rectBetween(
  a: { x: number; y: number },
  b: { x: number; y: number },
  imageWidth: number,
  imageHeight: number,
): Rect {
  const clampX = (v: number) => Math.min(imageWidth, Math.max(0, v));
  const clampY = (v: number) => Math.min(imageHeight, Math.max(0, v));
  const x0 = Math.floor(clampX(Math.min(a.x, b.x)));
  const y0 = Math.floor(clampY(Math.min(a.y, b.y)));
  const x1 = Math.ceil(clampX(Math.max(a.x, b.x)));
  const y1 = Math.ceil(clampY(Math.max(a.y, b.y)));
  const x = Math.min(x0, imageWidth - 1);
  const y = Math.min(y0, imageHeight - 1);
  return { x, y, width: Math.max(1, x1 - x), height: Math.max(1, y1 - y) };
}

/** A typed-in rectangle made valid for the image: inside it, integer, at least 1×1. */
export function clampRect(rect: Rect, imageWidth: number, imageHeight: number): Rect {
  const int = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(Number(v) || 0)));
  const x = int(rect.x, 0, imageWidth - 1);
  const y = int(rect.y, 0, imageHeight - 1);
  return {
    x,
    y,
    width: int(rect.width, 1, imageWidth - x),
    height: int(rect.height, 1, imageHeight - y),
  };
}

export class CropBox {
  readonly #surface: HTMLElement;
  readonly #box: HTMLElement;
  readonly #onChange: (rect: Rect) => void;
  #image = { width: 1, height: 1 };
  #rect: Rect | undefined;
  #dragFrom: { x: number; y: number } | undefined;
  #enabled = false;

  /** `surface` is the element the picture fills; `box` the outline drawn over it. */
  constructor(surface: HTMLElement, box: HTMLElement, onChange: (rect: Rect) => void) {
    this.#surface = surface;
    this.#box = box;
    this.#onChange = onChange;
    surface.addEventListener('pointerdown', (e) => this.#start(e));
    surface.addEventListener('pointermove', (e) => this.#move(e));
    surface.addEventListener('pointerup', (e) => this.#end(e));
    surface.addEventListener('pointercancel', (e) => this.#end(e));
    new ResizeObserver(() => this.#draw()).observe(surface);
  }

  get rect(): Rect | undefined {
    return this.#rect;
  }

  /** Turns dragging on or off; turning it on starts with no box. */
  setEnabled(enabled: boolean, imageWidth: number, imageHeight: number): void {
    this.#enabled = enabled;
    this.#image = { width: imageWidth, height: imageHeight };
    this.#rect = undefined;
    this.#surface.classList.toggle('cropping', enabled);
    this.#draw();
  }

  /** Sets the box from typed values. */
  setRect(rect: Rect): void {
    this.#rect = clampRect(rect, this.#image.width, this.#image.height);
    this.#draw();
  }

  #toImage(e: PointerEvent): { x: number; y: number } {
    const bounds = this.#surface.getBoundingClientRect();
    return {
      x: ((e.clientX - bounds.left) / bounds.width) * this.#image.width,
      y: ((e.clientY - bounds.top) / bounds.height) * this.#image.height,
    };
  }

  #start(e: PointerEvent): void {
    if (!this.#enabled || e.button !== 0) return;
    e.preventDefault();
    this.#surface.setPointerCapture(e.pointerId);
    this.#dragFrom = this.#toImage(e);
  }

  #move(e: PointerEvent): void {
    if (!this.#dragFrom) return;
    this.#rect = rectBetween(this.#dragFrom, this.#toImage(e), this.#image.width, this.#image.height);
    this.#draw();
    this.#onChange(this.#rect);
  }

  #end(e: PointerEvent): void {
    if (!this.#dragFrom) return;
    this.#move(e);
    this.#dragFrom = undefined;
  }

  #draw(): void {
    const rect = this.#rect;
    this.#box.hidden = !this.#enabled || !rect;
    if (!rect) return;
    const sx = 100 / this.#image.width;
    const sy = 100 / this.#image.height;
    // A shadow much larger than the picture can exceed a compositor layer's size and vanish, so size it.
    const spread = Math.max(this.#surface.clientWidth, this.#surface.clientHeight);
    this.#box.style.setProperty('--shade-spread', `${spread}px`);
    Object.assign(this.#box.style, {
      left: `${rect.x * sx}%`,
      top: `${rect.y * sy}%`,
      width: `${rect.width * sx}%`,
      height: `${rect.height * sy}%`,
    });
  }
}
