// Huffman decoding of a sequential JPEG scan in parallel, for scans without restart markers (one interval) and
// for restart intervals too long for one invocation each: each interval's data is cut into chunks of
// CHUNK_BITS (none crosses the interval's end), and each invocation decodes from its chunk's entry state — the
// bit position of the first symbol at or after the chunk start, with the block of the MCU and the coefficient
// index the decoder is at there (after Weißenberger & Schmidt, "Accelerating JPEG decompression on GPUs",
// 2021; our own code).
//
// `sync` (repeated by the host until nothing changes): each chunk decodes from its entry to the first symbol
// boundary at or past its end and reports that exit state, which becomes the next chunk's entry when that chunk
// is in the same interval. Entries start as guesses (a chunk's start bit, first block, DC); Huffman codes
// resynchronise within a few symbols, so a wrong guess soon follows the true symbol boundaries. Once every exit
// equals the next entry, all entries are exact: an interval's first chunk's entry is (its start is
// byte-aligned, at an MCU's first block), and each exact entry gives an exact exit. When every component uses
// the same tables the block of the MCU does not change how symbols decode, so it is left out of the comparison
// (it could never resynchronise) and found from the block count instead. The same pass counts the blocks
// starting in each chunk and sums their DC differences by position relative to the chunk's first block; the
// host turns them into each chunk's first block and DC predictions per component (both restart per interval).
// `decode`: each chunk decodes the blocks starting in it into the coefficient buffer (decode-idct.wgsl's
// layout), with the arithmetic of jdhuff.c, and flags what libjpeg would warn about (`status` bit 2): bits
// needed past its interval's end (libjpeg reads zeros at a marker), an interval that ends with fewer or more
// blocks than it should, whole bytes left over before the interval's marker.

// params layout (u32 words):
//   [0] chunks, [1] chunk bits, [2] data bytes, [3] blocks in the scan, [4] blocks per MCU, [5] MCUs per row,
//   [6] 1 when every component uses the same Huffman tables, [7] blocks per restart interval
//   MCU block j at 8 + 4j: [component, column in the MCU, row in the MCU, 0]
//   component c at 48 + 8c: [0, 0, blocks per row, coefficient word offset, DC table, AC table (4 + slot), h, v]
//   80: intervals, then the start byte of each interval and the data's end (81 + interval)
//   chunk i at 82 + intervals + 2i: [its interval, its place in the interval (0: the interval's first chunk)]
@group(0) @binding(0) var<storage, read> data: array<u32>;
@group(0) @binding(1) var<storage, read> tables: array<i32>;
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read> entries: array<u32>;
// sync: exits (3 words per chunk) and counts (12 words per chunk: blocks, then the DC sums of the blocks at
// positions 0..9 modulo the MCU's block count, counted from the chunk's first block)
@group(0) @binding(4) var<storage, read_write> exits: array<u32>;
@group(0) @binding(5) var<storage, read_write> counts: array<u32>;
@group(0) @binding(6) var<storage, read_write> changed: atomic<u32>;
// decode: starts (12 words per chunk: first block, DC predictions of components 0..3), coefficients, status
@group(0) @binding(4) var<storage, read> starts: array<u32>;
@group(0) @binding(5) var<storage, read_write> coefficients: array<u32>;
@group(0) @binding(6) var<storage, read_write> status: atomic<u32>;

#include "huffman-bits.wgsl"

const MCU_BLOCKS_AT: u32 = 8u;
const COMPONENTS_AT: u32 = 48u;

fn component_of(mcu_block: u32) -> u32 {
  return params[MCU_BLOCKS_AT + 4u * mcu_block];
}

const INTERVALS_AT: u32 = 80u;

fn interval_of(chunk: u32) -> u32 {
  return params[INTERVALS_AT + 2u + params[INTERVALS_AT] + 2u * chunk];
}

fn place_of(chunk: u32) -> u32 {
  return params[INTERVALS_AT + 3u + params[INTERVALS_AT] + 2u * chunk];
}

fn interval_start_byte(interval: u32) -> u32 {
  return params[INTERVALS_AT + 1u + interval];
}

// Whether `chunk` is the last chunk of its interval (its exit is no chunk's entry).
fn last_in_interval(chunk: u32) -> bool {
  return chunk + 1u >= params[0] || place_of(chunk + 1u) == 0u;
}

fn dc_table(c: u32) -> u32 { return params[COMPONENTS_AT + 8u * c + 4u]; }
fn ac_table(c: u32) -> u32 { return params[COMPONENTS_AT + 8u * c + 5u]; }

// One AC symbol of a block at coefficient index k (≥ 1): the next k, 64 or more once the block is done. With
// `keep`, the value goes into `block` (at jpeg_natural_order[k], its safety entries included).
fn ac_step(c: u32, k: u32, keep: bool) -> u32 {
  let rs = decode_symbol(ac_table(c));
  let run = rs >> 4u;
  let size = rs & 15u;
  if (size != 0u) {
    let at = k + run;
    let value = receive_extend(size);
    if (keep) { block[NATURAL_ORDER[at]] = value; }
    return at + 1u;
  }
  if (run == 15u) { return k + 16u; }
  return 64u;
}

@compute @workgroup_size(64)
fn sync(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let chunk = gid.x + gid.y * groups.x * 64u;
  let chunk_count = params[0];
  if (chunk >= chunk_count) { return; }
  let interval = interval_of(chunk);
  let place = place_of(chunk);
  end_byte = interval_start_byte(interval + 1u);
  let blocks_in_mcu = params[4];
  let chunk_end = min(interval_start_byte(interval) * 8u + (place + 1u) * params[1], end_byte * 8u);
  bit_pos = entries[3u * chunk];
  var b = entries[3u * chunk + 1u];
  var k = entries[3u * chunk + 2u];
  var blocks = 0u;
  var dc = array<i32, 10>(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  while (bit_pos < chunk_end) {
    let c = component_of(b);
    if (k == 0u) {
      dc[blocks % blocks_in_mcu] += receive_extend(decode_symbol(dc_table(c)));
      blocks++;
      k = 1u;
    } else {
      k = ac_step(c, k, false);
    }
    if (k >= 64u) {
      k = 0u;
      b = (b + 1u) % blocks_in_mcu;
    }
  }
  counts[12u * chunk] = blocks;
  for (var j = 0u; j < 10u; j++) { counts[12u * chunk + 1u + j] = u32(dc[j]); }
  // `exits` holds the next pass's entries: an interval's first chunk keeps its exact entry, and every other
  // chunk's comes from the exit of the chunk before it.
  if (place == 0u) {
    for (var w = 0u; w < 3u; w++) { exits[3u * chunk + w] = entries[3u * chunk + w]; }
  }
  if (!last_in_interval(chunk)) {
    let next = 3u * chunk + 3u;
    exits[next] = bit_pos;
    exits[next + 1u] = b;
    exits[next + 2u] = k;
    let same_block = params[6] == 1u || entries[next + 1u] == b;
    if (entries[next] != bit_pos || entries[next + 2u] != k || !same_block) { atomicAdd(&changed, 1u); }
  }
}

@compute @workgroup_size(64)
fn decode(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let chunk = gid.x + gid.y * groups.x * 64u;
  let chunk_count = params[0];
  if (chunk >= chunk_count) { return; }
  let interval = interval_of(chunk);
  end_byte = interval_start_byte(interval + 1u);
  // The block after the interval's last: its blocks, or the scan's for the last (shorter) interval.
  let total = min((interval + 1u) * params[7], params[3]);
  let blocks_in_mcu = params[4];
  let per_row = params[5];
  let last = last_in_interval(chunk);
  var next_entry = 0u;
  if (!last) { next_entry = entries[3u * chunk + 3u]; }
  bit_pos = entries[3u * chunk];
  var b = entries[3u * chunk + 1u];
  var k = entries[3u * chunk + 2u];
  failed = false;
  var g = starts[12u * chunk];
  var dc = array<i32, 4>(
    i32(starts[12u * chunk + 1u]), i32(starts[12u * chunk + 2u]), i32(starts[12u * chunk + 3u]),
    i32(starts[12u * chunk + 4u]));
  // One symbol per iteration of a single loop (as in `sync`): the invocations of a subgroup are at different
  // places in different blocks, and a loop per block made each wait for the longest block of its subgroup (the
  // CUDA twin of this pass ran 4× faster once flattened). The rest of a block that started in the previous
  // chunk is skipped: that chunk writes it (its component only picks the tables, and those are right: exact, or
  // the same for every component).
  var skipping = k != 0u;
  var c = component_of(b);
  loop {
    if (failed) { break; }
    if (k == 0u) {
      if (last) {
        if (g >= total) { break; }
      } else if (bit_pos >= next_entry) {
        break;
      }
      if (g >= total) {
        failed = true;
        break;
      }
      // The block's place in its MCU follows from its number (the entry's may be off when all tables are shared).
      b = g % blocks_in_mcu;
      c = component_of(b);
      for (var i = 0u; i < 64u; i++) { block[i] = 0; }
      dc[c] += receive_extend(decode_symbol(dc_table(c)));
      block[0] = dc[c];
      k = 1u;
      continue;
    }
    k = ac_step(c, k, !skipping);
    if (k >= 64u) {
      k = 0u;
      if (skipping) {
        skipping = false;
        continue;
      }
      let mcu = g / blocks_in_mcu;
      let j = MCU_BLOCKS_AT + 4u * b;
      let cat = COMPONENTS_AT + 8u * c;
      let row = (mcu / per_row) * params[cat + 7u] + params[j + 2u];
      let col = (mcu % per_row) * params[cat + 6u] + params[j + 1u];
      store_block(params[cat + 3u] + (row * params[cat + 2u] + col) * 32u);
      g++;
    }
  }
  if (last) {
    // Whole bytes left before the interval's marker (or EOI) are extraneous data to libjpeg (a warning).
    if (g != total || (bit_pos + 7u) / 8u != end_byte) { failed = true; }
  } else if (g != starts[12u * chunk + 12u]) {
    failed = true;
  }
  if (failed) { atomicOr(&status, ENTROPY_ERROR); }
}
