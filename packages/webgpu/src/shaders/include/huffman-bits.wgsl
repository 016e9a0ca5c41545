// The Huffman bit reader and symbol decoder both GPU entropy decoders share (entropy-huffman.wgsl by restart
// interval, entropy-selfsync.wgsl by chunk): the arithmetic of libjpeg-turbo 2.1.5's jdhuff.c for valid data
// (canonical codes through maxcode / valoffset, HUFF_EXTEND, jpeg_natural_order with its safety entries; our own
// code). The including shader declares `data` (the entropy-coded bytes, 4 to a word), `tables` (TABLE_WORDS per
// Huffman table: maxcode, valoffset, symbols, 8-bit lookahead) and `coefficients` (int16 pairs, 32 words a block).

const ENTROPY_ERROR: u32 = 2u;
const TABLE_WORDS: u32 = 548u;
const MAXCODE_AT: u32 = 0u;
const VALOFFSET_AT: u32 = 18u;
const SYMBOLS_AT: u32 = 36u;
const LOOKUP_AT: u32 = 292u;

// jpeg_natural_order, with 16 extra entries so that a corrupt run past position 63 lands on 63 as in libjpeg.
const NATURAL_ORDER = array<u32, 80>(
  0u, 1u, 8u, 16u, 9u, 2u, 3u, 10u, 17u, 24u, 32u, 25u, 18u, 11u, 4u, 5u, 12u, 19u, 26u, 33u, 40u, 48u, 41u, 34u,
  27u, 20u, 13u, 6u, 7u, 14u, 21u, 28u, 35u, 42u, 49u, 56u, 57u, 50u, 43u, 36u, 29u, 22u, 15u, 23u, 30u, 37u, 44u,
  51u, 58u, 59u, 52u, 45u, 38u, 31u, 39u, 46u, 53u, 60u, 61u, 54u, 47u, 55u, 62u, 63u,
  63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u, 63u);

var<private> bit_pos: u32;
var<private> end_byte: u32;
var<private> failed: bool;
var<private> block: array<i32, 64>;

fn byte_at(i: u32) -> u32 {
  if (i >= end_byte) { return 0u; }
  return (data[i >> 2u] >> ((i & 3u) * 8u)) & 0xffu;
}

// The next `n` (1..16) bits, most significant first, without consuming them (zeros past the end).
fn peek_bits(n: u32) -> u32 {
  let b = bit_pos >> 3u;
  let window = (byte_at(b) << 16u) | (byte_at(b + 1u) << 8u) | byte_at(b + 2u);
  return (window >> (24u - (bit_pos & 7u) - n)) & ((1u << n) - 1u);
}

fn skip_bits(n: u32) {
  bit_pos += n;
  if (bit_pos > end_byte * 8u) { failed = true; }
}

fn get_bits(n: u32) -> u32 {
  let value = peek_bits(n);
  skip_bits(n);
  return value;
}

// Codes of up to 8 bits through the lookahead table; longer ones as jpeg_huff_decode does: lengthen the code
// until it is at most maxcode[length].
fn decode_symbol(table: u32) -> u32 {
  let base = table * TABLE_WORDS;
  let look = u32(tables[base + LOOKUP_AT + peek_bits(8u)]);
  if ((look >> 8u) <= 8u) {
    skip_bits(look >> 8u);
    return look & 0xffu;
  }
  var code = i32(get_bits(1u));
  var length = 1u;
  while (code > tables[base + MAXCODE_AT + length]) {
    code = (code << 1u) | i32(get_bits(1u));
    length++;
    if (length > 16u) {
      failed = true;
      return 0u;
    }
  }
  return u32(tables[base + SYMBOLS_AT + u32((code + tables[base + VALOFFSET_AT + length]) & 0xff)]);
}

// HUFF_EXTEND: the s-bit magnitude category value as a signed number.
fn receive_extend(s: u32) -> i32 {
  if (s == 0u) { return 0; }
  let x = i32(get_bits(s));
  if (x < (1 << (s - 1u))) { return x + (-1 << s) + 1; }
  return x;
}

fn store_block(word_offset: u32) {
  for (var k = 0u; k < 32u; k++) {
    coefficients[word_offset + k] = (u32(block[2u * k]) & 0xffffu) | (u32(block[2u * k + 1u]) << 16u);
  }
}
