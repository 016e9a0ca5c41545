// Pixel-format conversion as far as it touches GPU pixels (core's convert.ts): to gray, libjpeg's fixed-point
// luma into R, G and B (rgbToGray); dropping alpha, A set to 255. Reordering (bgr, planar) happens on readback.

struct Params {
  count: u32,
  // 0: luma into R, G, B and A = 255. 1: A = 255.
  mode: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
  let i = id.y * n.x * 256u + id.x;
  if (i >= params.count) {
    return;
  }
  let p = src[i];
  if (params.mode == 0u) {
    let y = (19595u * (p & 255u) + 38470u * ((p >> 8u) & 255u) + 7471u * ((p >> 16u) & 255u) + 32768u) >> 16u;
    dst[i] = y | (y << 8u) | (y << 16u) | 0xff000000u;
  } else {
    dst[i] = p | 0xff000000u;
  }
}
