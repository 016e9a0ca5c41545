// Crop, rotate, flip, flop and EXIF orientation (core's crop.ts, rotate.ts, flip.ts, orient.ts): every output
// pixel is a copy of one input pixel, chosen by `mode` — 0 crop at (x, y), else the orientation 1–8 whose
// transform makes an image stored that way upright (core's ORIENTATION_TRANSFORMS).

struct Params {
  srcWidth: u32,
  srcHeight: u32,
  outWidth: u32,
  outHeight: u32,
  mode: u32,
  x: u32,
  y: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let x = id.x;
  let y = id.y;
  if (x >= params.outWidth || y >= params.outHeight) {
    return;
  }
  let lastX = params.srcWidth - 1u;
  let lastY = params.srcHeight - 1u;
  var s: vec2<u32>;
  switch (params.mode) {
    case 0u: { s = vec2<u32>(x + params.x, y + params.y); }  // crop
    case 2u: { s = vec2<u32>(lastX - x, y); }  // flop
    case 3u: { s = vec2<u32>(lastX - x, lastY - y); }  // rotate 180
    case 4u: { s = vec2<u32>(x, lastY - y); }  // flip
    case 5u: { s = vec2<u32>(y, x); }  // transpose
    case 6u: { s = vec2<u32>(y, lastY - x); }  // rotate 90 clockwise
    case 7u: { s = vec2<u32>(lastX - y, lastY - x); }  // transverse
    case 8u: { s = vec2<u32>(lastX - y, x); }  // rotate 270 clockwise
    default: { s = vec2<u32>(x, y); }  // 1: a copy
  }
  dst[y * params.outWidth + x] = src[s.y * params.srcWidth + s.x];
}
