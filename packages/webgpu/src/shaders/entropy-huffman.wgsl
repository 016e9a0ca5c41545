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
