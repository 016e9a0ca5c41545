/**
 * Packs a kernel's parameter struct: 32-bit fields in WGSL declaration order, padded to a multiple of 16 bytes
 * (the size WGSL gives a uniform struct).
 */
export class ParamWriter {
  readonly #words: number[] = [];
  readonly #kinds: ('u32' | 'i32' | 'f32')[] = [];

  u32(value: number): this {
    return this.#push(value, 'u32');
  }

  i32(value: number): this {
    return this.#push(value, 'i32');
  }

  f32(value: number): this {
    return this.#push(value, 'f32');
  }

  /** The struct's bytes. */
  finish(): Uint32Array<ArrayBuffer> {
    const words = new Uint32Array(Math.max(4, Math.ceil(this.#words.length / 4) * 4));
    const ints = new Int32Array(words.buffer);
    const floats = new Float32Array(words.buffer);
    this.#words.forEach((value, i) => {
      const kind = this.#kinds[i]!;
      if (kind === 'f32') floats[i] = value;
      else if (kind === 'i32') ints[i] = value;
      else words[i] = value;
    });
    return words;
  }

  #push(value: number, kind: 'u32' | 'i32' | 'f32'): this {
    this.#words.push(value);
    this.#kinds.push(kind);
    return this;
  }
}
