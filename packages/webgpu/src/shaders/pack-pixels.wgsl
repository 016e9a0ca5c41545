// Lays GpuPixels out as a host pixel format (interleaved or planar bytes, packed four to a word) or as new
// GpuPixels, taking a crop rectangle and an EXIF orientation on the way: one invocation per output word.
// Output rows are tightly packed; the host copies them into a strided image.

// params layout (u32 words):
//   [0] output width, [1] output height (after orientation), [2] crop x, [3] crop y, [4] crop width,
//   [5] crop height (stored orientation), [6] source width (GpuPixels row length), [7] orientation 1–8,
//   [8] layout (LAYOUT_*), [9] output words, [10] channels per pixel (interleaved), [11] plane bytes (planar),
//   [12..15] the source byte (0 R, 1 G, 2 B, 3 A) of output channel 0..3
@group(0) @binding(0) var<storage, read> pixels: array<u32>;
@group(0) @binding(1) var<storage, read> params: array<u32>;
@group(0) @binding(2) var<storage, read_write> output: array<u32>;

const LAYOUT_INTERLEAVED: u32 = 0u;
const LAYOUT_PLANAR: u32 = 1u;
const LAYOUT_PIXELS: u32 = 2u;

// The stored-orientation position (inside the crop) that output pixel (x, y) shows: the inverse of the
// transform core's orient op applies for each EXIF orientation.
fn source_of(x: u32, y: u32) -> vec2<u32> {
  let w = params[4];
  let h = params[5];
  switch (params[7]) {
    case 2u: { return vec2<u32>(w - 1u - x, y); }
    case 3u: { return vec2<u32>(w - 1u - x, h - 1u - y); }
    case 4u: { return vec2<u32>(x, h - 1u - y); }
    case 5u: { return vec2<u32>(y, x); }
    case 6u: { return vec2<u32>(y, h - 1u - x); }
    case 7u: { return vec2<u32>(w - 1u - y, h - 1u - x); }
    case 8u: { return vec2<u32>(w - 1u - y, x); }
    default: { return vec2<u32>(x, y); }
  }
}

fn pixel_at(x: u32, y: u32) -> u32 {
  let s = source_of(x, y);
  return pixels[(params[3] + s.y) * params[6] + params[2] + s.x];
}

// Byte `index` of the output.
fn output_byte(index: u32) -> u32 {
  let width = params[0];
  var pixel: u32;
  var channel: u32;
  if (params[8] == LAYOUT_PLANAR) {
    let plane_bytes = params[11];
    channel = index / plane_bytes;
    pixel = index % plane_bytes;
  } else {
    let channels = params[10];
    pixel = index / channels;
    channel = index % channels;
  }
  let word = pixel_at(pixel % width, pixel / width);
  return (word >> (8u * params[12u + channel])) & 0xffu;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let index = gid.x + gid.y * groups.x * 64u;
  if (index >= params[9]) { return; }
  if (params[8] == LAYOUT_PIXELS) {
    output[index] = pixel_at(index % params[0], index / params[0]);
    return;
  }
  let total_bytes = params[0] * params[1] * select(params[10], 3u, params[8] == LAYOUT_PLANAR);
  var word = 0u;
  for (var b = 0u; b < 4u; b++) {
    let at = index * 4u + b;
    if (at < total_bytes) { word |= output_byte(at) << (8u * b); }
  }
  output[index] = word;
}
