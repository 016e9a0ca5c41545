// Resize (core's resize.ts + fit.ts) on GpuPixels: `horizontal` filters every source row to the resampled width
// into a float intermediate, `vertical` filters down it and writes fit's window (crop or padding). Weight tables
// are core's computeContributions, computed on the host and uploaded, so only the sums differ from core (f32
// here, f64 there) — within ±1 after rounding.
//
// A table is one array<u32>: start[dst], count[dst], then taps × dst weights (f32 bits), tap-major — weight k of
// output d at 2 · dst + k · dst + d — so that neighbouring invocations read neighbouring words.

struct Params {
  srcWidth: u32,
  srcHeight: u32,
  resizeWidth: u32,
  resizeHeight: u32,
  outWidth: u32,
  outHeight: u32,
  // Output (x, y) shows resampled (x + offsetX, y + offsetY): cropX − padX, cropY − padY.
  offsetX: i32,
  offsetY: i32,
  _pad0: u32,
  _pad1: u32,
  // Bit 0: linear light. Bit 1: A is alpha (premultiply); otherwise A is ignored and written as 255.
  // Bit 2: no resampling (the resampled size is the source size), only fit's window.
  flags: u32,
  // Padding colour, RGBA8 packed like a pixel.
  background: u32,
}

const LINEAR: u32 = 1u;
const ALPHA: u32 = 2u;
const COPY: u32 = 4u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read> table: array<u32>;
@group(0) @binding(3) var<storage, read> srgbToLinear: array<f32, 256>;
@group(0) @binding(4) var<storage, read_write> mid: array<vec4<f32>>;

@group(0) @binding(5) var<storage, read_write> dst: array<u32>;

fn bytesOf(p: u32) -> vec4<u32> {
  return vec4<u32>(p & 255u, (p >> 8u) & 255u, (p >> 16u) & 255u, p >> 24u);
}

// Step 2 of core's resize: the sample as float, colour through the sRGB curve when linear, premultiplied by
// alpha / 255 when A is alpha.
fn decoded(p: u32) -> vec4<f32> {
  let b = bytesOf(p);
  var v = vec4<f32>(b);
  if ((params.flags & LINEAR) != 0u) {
    v = vec4<f32>(srgbToLinear[b.x], srgbToLinear[b.y], srgbToLinear[b.z], v.w);
  }
  if ((params.flags & ALPHA) != 0u) {
    let a = v.w / 255.0;
    v = vec4<f32>(v.xyz * a, v.w);
  }
  return v;
}

@compute @workgroup_size(16, 16)
fn horizontal(@builtin(global_invocation_id) id: vec3<u32>) {
  let dx = id.x;
  let y = id.y;
  if (dx >= params.resizeWidth || y >= params.srcHeight) {
    return;
  }
  let n = params.resizeWidth;
  let start = table[dx];
  let count = table[n + dx];
  let row = y * params.srcWidth + start;
  var sum = vec4<f32>(0.0);
  for (var k = 0u; k < count; k++) {
    sum += bitcast<f32>(table[(2u + k) * n + dx]) * decoded(src[row + k]);
  }
  mid[y * n + dx] = sum;
}

// core's linearToSrgb: linear light in 0–255 units to sRGB-encoded 0–255, clamped first, not rounded.
fn linearToSrgb(v: f32) -> f32 {
  let l = clamp(v / 255.0, 0.0, 1.0);
  var s: f32;
  if (l <= 0.0031308) {
    s = l * 12.92;
  } else {
    s = 1.055 * pow(l, 1.0 / 2.4) - 0.055;
  }
  return s * 255.0;
}

// core's roundToByte: half up, clamped to 0–255 (NaN and negatives to 0).
fn roundToByte(x: f32) -> u32 {
  if (!(x > 0.0)) {
    return 0u;
  }
  return u32(min(floor(x + 0.5), 255.0));
}

fn packPixel(v: vec4<u32>) -> u32 {
  return v.x | (v.y << 8u) | (v.z << 16u) | (v.w << 24u);
}

@compute @workgroup_size(16, 16)
fn vertical(@builtin(global_invocation_id) id: vec3<u32>) {
  let x = id.x;
  let y = id.y;
  if (x >= params.outWidth || y >= params.outHeight) {
    return;
  }
  let out = y * params.outWidth + x;
  let rx = i32(x) + params.offsetX;
  let ry = i32(y) + params.offsetY;
  if (rx < 0 || ry < 0 || rx >= i32(params.resizeWidth) || ry >= i32(params.resizeHeight)) {
    dst[out] = params.background;
    return;
  }
  if ((params.flags & COPY) != 0u) {
    dst[out] = src[u32(ry) * params.srcWidth + u32(rx)];
    return;
  }
  let n = params.resizeHeight;
  let start = table[u32(ry)];
  let count = table[n + u32(ry)];
  var px = vec4<f32>(0.0);
  for (var k = 0u; k < count; k++) {
    px += bitcast<f32>(table[(2u + k) * n + u32(ry)]) * mid[(start + k) * params.resizeWidth + u32(rx)];
  }
  var alpha = 255u;
  if ((params.flags & ALPHA) != 0u) {
    let a = clamp(px.w, 0.0, 255.0);
    if (a < 0.5) {
      px = vec4<f32>(0.0, 0.0, 0.0, px.w);
    } else {
      px = vec4<f32>(px.xyz * 255.0 / a, px.w);
    }
    alpha = roundToByte(px.w);
  }
  if ((params.flags & LINEAR) != 0u) {
    px = vec4<f32>(linearToSrgb(px.x), linearToSrgb(px.y), linearToSrgb(px.z), px.w);
  }
  dst[out] = packPixel(vec4<u32>(roundToByte(px.x), roundToByte(px.y), roundToByte(px.z), alpha));
}
