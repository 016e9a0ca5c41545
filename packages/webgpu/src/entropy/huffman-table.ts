/**
 * Huffman decoding tables in the form libjpeg-turbo 2.1.5 decodes with (jdhuff.c's jpeg_make_d_derived_tbl:
 * `maxcode` and `valoffset` per code length, the symbol list), packed for entropy-huffman.wgsl; with the
 * same checks, so a table libjpeg rejects is rejected here too (the image then goes to the wasm reader).
 */

/**
 * u32 words per table in the GPU layout: maxcode[0..17], valoffset[0..17], 256 symbols, then the 8-bit
 * lookahead table (jdhuff.c's HUFF_LOOKAHEAD): (code length << 8) | symbol for codes of up to 8 bits, 9 << 8
 * where the code is longer.
 */
export const TABLE_WORDS = 18 + 18 + 256 + 256;
export const MAXCODE_AT = 0;
export const VALOFFSET_AT = 18;
export const SYMBOLS_AT = 36;
export const LOOKUP_AT = 292;
const LOOKAHEAD = 8;

/** A DHT table: `counts[l - 1]` codes of length l (1–16), then the symbols in code order. */
export interface HuffmanSpec {
  counts: Uint8Array;
  symbols: Uint8Array;
}

/** Writes the derived table at `at` in `out`, or returns why libjpeg would refuse it. */
export function writeDerivedTable(
  spec: HuffmanSpec,
  isDc: boolean,
  out: Int32Array,
  at: number,
): true | string {
  const sizes: number[] = [];
  for (let l = 1; l <= 16; l++) {
    const count = spec.counts[l - 1]!;
    if (sizes.length + count > 256) return 'a Huffman table with more than 256 codes';
    for (let i = 0; i < count; i++) sizes.push(l);
  }
  if (spec.symbols.length < sizes.length) return 'a Huffman table with fewer symbols than codes';
  // Canonical codes, checked as jdhuff.c does: no code may overflow its length.
  const codes: number[] = [];
  let code = 0;
  let p = 0;
  let si = sizes[0] ?? 0;
  while (p < sizes.length) {
    while (sizes[p] === si) {
      codes[p++] = code;
      code++;
    }
    if (code >= 2 ** si) return 'a Huffman table whose codes overflow their lengths';
    code *= 2;
    si++;
  }
  p = 0;
  for (let l = 1; l <= 16; l++) {
    const count = spec.counts[l - 1]!;
    if (count > 0) {
      out[at + VALOFFSET_AT + l] = p - codes[p]!;
      p += count;
      out[at + MAXCODE_AT + l] = codes[p - 1]!;
    } else {
      out[at + MAXCODE_AT + l] = -1;
    }
  }
  out[at + VALOFFSET_AT + 17] = 0;
  out[at + MAXCODE_AT + 17] = 0xfffff; // ends the code-length loop, as in jdhuff.c
  for (let i = 0; i < sizes.length; i++) {
    const symbol = spec.symbols[i]!;
    if (isDc && symbol > 15) return 'a DC Huffman table with a symbol above 15';
    out[at + SYMBOLS_AT + i] = symbol;
  }
  out.fill((LOOKAHEAD + 1) << 8, at + LOOKUP_AT, at + LOOKUP_AT + (1 << LOOKAHEAD));
  for (let i = 0; i < sizes.length && sizes[i]! <= LOOKAHEAD; i++) {
    const l = sizes[i]!;
    const first = codes[i]! << (LOOKAHEAD - l);
    out.fill(
      (l << 8) | spec.symbols[i]!,
      at + LOOKUP_AT + first,
      at + LOOKUP_AT + first + (1 << (LOOKAHEAD - l)),
    );
  }
  return true;
}
