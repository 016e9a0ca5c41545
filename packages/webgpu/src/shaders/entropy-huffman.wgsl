// Huffman decoding of a sequential JPEG scan with restart markers, one invocation per restart interval (the
// DC predictions restart at each marker, so intervals are independent): each decodes its MCUs into quantised
// coefficients, 64 per block in natural order, two int16 to a word — the layout decode-idct.wgsl reads.
// The arithmetic is what libjpeg-turbo 2.1.5's jdhuff.c does for valid data (canonical codes through maxcode /
// valoffset, HUFF_EXTEND, jpeg_natural_order with its safety entries for runs past 63; our own code). Anything
// libjpeg would warn about — a code longer than 16 bits, bits needed past the interval's end, whole bytes left
// over before the next marker — raises `status` bit 2, and the host reads the image with libjpeg instead.

// params layout (u32 words):
//   [0] intervals, [1] MCUs per interval, [2] MCUs in the scan, [3] MCUs per row, [4] scan components
//   scan component s at 8 + 8s: [h, v, blocks per row, coefficient word offset, DC table, AC table (4 + slot)]
@group(0) @binding(0) var<storage, read> data: array<u32>;
@group(0) @binding(1) var<storage, read> interval_starts: array<u32>;
@group(0) @binding(2) var<storage, read> tables: array<i32>;
@group(0) @binding(3) var<storage, read> params: array<u32>;
@group(0) @binding(4) var<storage, read_write> coefficients: array<u32>;
@group(0) @binding(5) var<storage, read_write> status: atomic<u32>;

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

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let interval = gid.x + gid.y * groups.x * 64u;
  if (interval >= params[0]) { return; }
  let first = interval * params[1];
  let last = min(first + params[1], params[2]);
  let per_row = params[3];
  let count = params[4];
  bit_pos = interval_starts[interval] * 8u;
  end_byte = interval_starts[interval + 1u];
  failed = false;
  var predictions = array<i32, 4>(0, 0, 0, 0);

  for (var mcu = first; mcu < last; mcu++) {
    let mx = mcu % per_row;
    let my = mcu / per_row;
    for (var s = 0u; s < count; s++) {
      let at = 8u + 8u * s;
      let h = params[at];
      let v = params[at + 1u];
      let blocks_per_row = params[at + 2u];
      let dc_table = params[at + 4u];
      let ac_table = params[at + 5u];
      for (var by = 0u; by < v; by++) {
        for (var bx = 0u; bx < h; bx++) {
          for (var k = 0u; k < 64u; k++) { block[k] = 0; }
          let category = decode_symbol(dc_table);
          predictions[s] += receive_extend(category);
          block[0] = predictions[s];
          var k = 1u;
          while (k < 64u) {
            let rs = decode_symbol(ac_table);
            let run = rs >> 4u;
            let size = rs & 15u;
            if (size != 0u) {
              k += run;
              block[NATURAL_ORDER[k]] = receive_extend(size);
            } else {
              if (run != 15u) { break; }
              k += 15u;
            }
            k++;
          }
          if (failed) {
            atomicOr(&status, ENTROPY_ERROR);
            return;
          }
          let row = my * v + by;
          let col = mx * h + bx;
          store_block(params[at + 3u] + (row * blocks_per_row + col) * 32u);
        }
      }
    }
  }
  // libjpeg counts whole bytes left before the next marker as extraneous data (a warning).
  if ((bit_pos + 7u) / 8u != end_byte) { atomicOr(&status, ENTROPY_ERROR); }
}
