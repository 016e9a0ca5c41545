// Unsharp mask (core's sharpen.ts) on GpuPixels: a separable Gaussian (core's gaussianWeights, uploaded) with
// replicated edges — `horizontal` into a float image, `vertical` down it — then v + amount · (v − blur) where
// |v − blur| > threshold, rounded half up. A is copied (alpha, or the 255 of an opaque image).

struct Params {
  width: u32,
  height: u32,
  radius: i32,
  _pad: u32,
  amount: f32,
  threshold: f32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read> weights: array<f32>;
@group(0) @binding(3) var<storage, read_write> mid: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> dst: array<u32>;

fn sample(p: u32) -> vec4<f32> {
  return vec4<f32>(f32(p & 255u), f32((p >> 8u) & 255u), f32((p >> 16u) & 255u), f32(p >> 24u));
}

@compute @workgroup_size(16, 16)
fn horizontal(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= params.width || id.y >= params.height) {
    return;
  }
  let x = i32(id.x);
  let last = i32(params.width) - 1;
  let row = id.y * params.width;
  let r = params.radius;
  var sum = vec4<f32>(0.0);
  for (var k = -r; k <= r; k++) {
    sum += weights[u32(k + r)] * sample(src[row + u32(clamp(x + k, 0, last))]);
  }
  mid[row + id.x] = sum;
}

fn roundToByte(x: f32) -> u32 {
  if (!(x > 0.0)) {
    return 0u;
  }
  return u32(min(floor(x + 0.5), 255.0));
}

fn sharpened(v: f32, blur: f32) -> u32 {
  let diff = v - blur;
  if (abs(diff) > params.threshold) {
    return roundToByte(v + params.amount * diff);
  }
  return roundToByte(v);
}

@compute @workgroup_size(16, 16)
fn vertical(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= params.width || id.y >= params.height) {
    return;
  }
  let y = i32(id.y);
  let last = i32(params.height) - 1;
  let r = params.radius;
  var blur = vec4<f32>(0.0);
  for (var k = -r; k <= r; k++) {
    blur += weights[u32(k + r)] * mid[u32(clamp(y + k, 0, last)) * params.width + id.x];
  }
  let at = id.y * params.width + id.x;
  let p = src[at];
  let v = sample(p);
  dst[at] = sharpened(v.x, blur.x) | (sharpened(v.y, blur.y) << 8u) | (sharpened(v.z, blur.z) << 16u) |
    (p & 0xff000000u);
}
