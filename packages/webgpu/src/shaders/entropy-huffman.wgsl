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

#include "huffman-bits.wgsl"

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

  // One symbol per iteration of a single loop, the block's place (MCU, component, row and column in the MCU)
  // carried as state: the invocations of a subgroup are in different blocks, and loops per MCU, component and
  // block made each wait for the longest block of its subgroup.
  var mcu = first;
  var s = 0u;
  var bx = 0u;
  var by = 0u;
  var k = 0u;
  loop {
    if (k == 0u) {
      if (mcu >= last) { break; }
      let at = 8u + 8u * s;
      for (var i = 0u; i < 64u; i++) { block[i] = 0; }
      predictions[s] += receive_extend(decode_symbol(params[at + 4u]));
      block[0] = predictions[s];
      k = 1u;
      continue;
    }
    let at = 8u + 8u * s;
    let rs = decode_symbol(params[at + 5u]);
    let run = rs >> 4u;
    let size = rs & 15u;
    if (size != 0u) {
      k += run;
      block[NATURAL_ORDER[k]] = receive_extend(size);
      k++;
    } else if (run == 15u) {
      k += 16u;
    } else {
      k = 64u;
    }
    if (k < 64u) { continue; }
    // The block is complete: store it, then move to the next block of the MCU, component or MCU.
    k = 0u;
    if (failed) {
      atomicOr(&status, ENTROPY_ERROR);
      return;
    }
    let h = params[at];
    let v = params[at + 1u];
    let row = (mcu / per_row) * v + by;
    let col = (mcu % per_row) * h + bx;
    store_block(params[at + 3u] + (row * params[at + 2u] + col) * 32u);
    bx++;
    if (bx == h) {
      bx = 0u;
      by++;
      if (by == v) {
        by = 0u;
        s++;
        if (s == count) {
          s = 0u;
          mcu++;
        }
      }
    }
  }
  // libjpeg counts whole bytes left before the next marker as extraneous data (a warning).
  if ((bit_pos + 7u) / 8u != end_byte) { atomicOr(&status, ENTROPY_ERROR); }
}
