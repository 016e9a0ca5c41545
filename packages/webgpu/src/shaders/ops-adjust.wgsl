// Brightness/contrast (core's adjust.ts): R, G and B through core's adjustTable (uploaded, one u32 per entry),
// A copied — so the result is exactly core's.

struct Params {
  count: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read> lut: array<u32, 256>;
@group(0) @binding(3) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
  let i = id.y * n.x * 256u + id.x;
  if (i >= params.count) {
    return;
  }
  let p = src[i];
  dst[i] = lut[p & 255u] | (lut[(p >> 8u) & 255u] << 8u) | (lut[(p >> 16u) & 255u] << 16u) | (p & 0xff000000u);
}
